/*
 * Interop peer for the wmpc ROS 2 bridge test: a plain Cyclone DDS C program speaking ROS 2's wire conventions
 * (rt/ topic prefix, pkg::msg::dds_::Type_ type names). It publishes camera frames (640x480 rgb8, 30 Hz),
 * joint states (100 Hz) and twist commands (10 Hz, reliable), reads what the Java side sends (commands, and the
 * controller's planned path and diagnostics), and prints one JSON line of counts at the end.  usage: peer <domain> <seconds>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "dds/dds.h"
#include "ros2_msgs.h"

#define W 640
#define H 480
#define FRAME (W * H * 3)

static dds_entity_t pp;

static dds_entity_t topic(const dds_topic_descriptor_t *d, const char *name) {
  dds_entity_t t = dds_create_topic(pp, d, name, NULL, NULL);
  if (t < 0) { fprintf(stderr, "peer: topic %s: %s\n", name, dds_strretcode(-t)); exit(2); }
  return t;
}

/* History depth: writers keep a few samples; readers keep about a second, so a briefly starved main loop (a busy
   machine) does not overwrite samples DDS already delivered before the loop takes them. */
static dds_qos_t *qos(int reliable, int depth) {
  dds_qos_t *q = dds_create_qos();
  dds_qset_reliability(q, reliable ? DDS_RELIABILITY_RELIABLE : DDS_RELIABILITY_BEST_EFFORT, DDS_SECS(1));
  dds_qset_history(q, DDS_HISTORY_KEEP_LAST, depth);
  return q;
}

static dds_entity_t writer(const dds_topic_descriptor_t *d, const char *name, int reliable) {
  dds_qos_t *q = qos(reliable, reliable ? 200 : 5);
  dds_entity_t w = dds_create_writer(pp, topic(d, name), q, NULL);
  dds_delete_qos(q);
  if (w < 0) { fprintf(stderr, "peer: writer %s: %s\n", name, dds_strretcode(-w)); exit(2); }
  return w;
}

static dds_entity_t reader(const dds_topic_descriptor_t *d, const char *name, int reliable, int depth) {
  dds_qos_t *q = qos(reliable, depth);
  dds_entity_t r = dds_create_reader(pp, topic(d, name), q, NULL);
  dds_delete_qos(q);
  if (r < 0) { fprintf(stderr, "peer: reader %s: %s\n", name, dds_strretcode(-r)); exit(2); }
  return r;
}

static int matched_w(dds_entity_t w) { dds_publication_matched_status_t s; dds_get_publication_matched_status(w, &s); return s.current_count; }
static int matched_r(dds_entity_t r) { dds_subscription_matched_status_t s; dds_get_subscription_matched_status(r, &s); return s.current_count; }

static long image_ok = 0, image_bad = 0, js_ok = 0, js_bad = 0, twist_n = 0, twist_order_bad = 0, traj_n = 0, grip_n = 0, estop_n = 0, estop_true = 0;
static long path_ok = 0, path_bad = 0, diag_ok = 0, diag_bad = 0;
static double last_twist = -1;

static void drain(dds_entity_t r, void (*on)(const void *)) {
  void *samples[16] = {0};
  dds_sample_info_t infos[16];
  int n;
  while ((n = dds_take(r, samples, infos, 16, 16)) > 0) {
    for (int i = 0; i < n; i++) if (infos[i].valid_data) on(samples[i]);
    dds_return_loan(r, samples, n);
  }
}

static void on_image(const void *p) {
  const sensor_msgs_msg_dds__Image_ *m = p;
  int seq = m->header.stamp.sec;
  int ok = m->width == W && m->height == H && m->step == W * 3 && strcmp(m->encoding, "rgb8") == 0
           && m->data._length == FRAME && strcmp(m->header.frame_id, "camera") == 0;
  if (ok) {
    const int idx[] = {0, 1, 12345, FRAME / 2, FRAME - 1};
    for (int k = 0; k < 5; k++) if (m->data._buffer[idx[k]] != (uint8_t) (idx[k] * 7 + seq)) ok = 0;
  }
  if (ok) image_ok++; else image_bad++;
}

static void on_js(const void *p) {
  const sensor_msgs_msg_dds__JointState_ *m = p;
  int ok = m->name._length == 6 && m->position._length == 6 && strcmp(m->name._buffer[5], "joint_6") == 0
           && m->position._buffer[5] == m->header.stamp.sec + 5;
  if (ok) js_ok++; else js_bad++;
}

static void on_twist(const void *p) {
  const geometry_msgs_msg_dds__TwistStamped_ *m = p;
  if (m->twist.linear.x != last_twist + 1) twist_order_bad++;
  last_twist = m->twist.linear.x;
  twist_n++;
}

static void on_traj(const void *p) {
  const trajectory_msgs_msg_dds__JointTrajectory_ *m = p;
  if (m->joint_names._length == 6 && m->points._length == 1 && m->points._buffer[0].positions._length == 6) traj_n++;
}

static void on_grip(const void *p) {
  const std_msgs_msg_dds__Float64MultiArray_ *m = p;
  if (m->data._length == 1) grip_n++;
}

static void on_estop(const void *p) {
  const std_msgs_msg_dds__Bool_ *m = p;
  estop_n++;
  if (m->data) estop_true++;
}

/* The Java side sends 4 poses in base_link: pose i at (n, i, 0.5), identity orientation, stamped n + i. */
static void on_path(const void *p) {
  const nav_msgs_msg_dds__Path_ *m = p;
  int ok = m->poses._length == 4 && strcmp(m->header.frame_id, "base_link") == 0;
  for (uint32_t i = 0; ok && i < m->poses._length; i++) {
    const geometry_msgs_msg_dds__PoseStamped_ *s = &m->poses._buffer[i];
    ok = s->pose.position.x == m->header.stamp.sec && s->pose.position.y == i && s->pose.position.z == 0.5
         && s->pose.orientation.w == 1 && s->pose.orientation.x == 0 && s->header.stamp.sec == m->header.stamp.sec + (int) i
         && strcmp(s->header.frame_id, "base_link") == 0;
  }
  if (ok) path_ok++; else path_bad++;
}

/* One WARN status named "wmpc_controller: controller" with step = the stamp and energy.latent = 0.25. */
static void on_diag(const void *p) {
  const diagnostic_msgs_msg_dds__DiagnosticArray_ *m = p;
  int ok = m->status._length == 1;
  if (ok) {
    const diagnostic_msgs_msg_dds__DiagnosticStatus_ *s = &m->status._buffer[0];
    char step[16];
    snprintf(step, sizeof step, "%d", m->header.stamp.sec);
    ok = s->level == 1 && strcmp(s->name, "wmpc_controller: controller") == 0 && strcmp(s->message, "holding") == 0
         && s->values._length == 2 && strcmp(s->values._buffer[0].key, "step") == 0 && strcmp(s->values._buffer[0].value, step) == 0
         && strcmp(s->values._buffer[1].key, "energy.latent") == 0 && strcmp(s->values._buffer[1].value, "0.25") == 0;
  }
  if (ok) diag_ok++; else diag_bad++;
}

static void tick_sleep(struct timespec *t, long ns) {
  t->tv_nsec += ns;
  while (t->tv_nsec >= 1000000000L) { t->tv_nsec -= 1000000000L; t->tv_sec++; }
  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, t, NULL);
}

int main(int argc, char **argv) {
  if (argc < 3) { fprintf(stderr, "usage: peer <domain> <seconds>\n"); return 2; }
  int domain = atoi(argv[1]);
  double seconds = atof(argv[2]);
  pp = dds_create_participant((dds_domainid_t) domain, NULL, NULL);
  if (pp < 0) { fprintf(stderr, "peer: participant: %s\n", dds_strretcode(-pp)); return 2; }

  dds_entity_t w_img = writer(&sensor_msgs_msg_dds__Image__desc, "rt/c_peer/image_raw", 0);
  dds_entity_t w_js = writer(&sensor_msgs_msg_dds__JointState__desc, "rt/c_peer/joint_states", 0);
  dds_entity_t w_twist = writer(&geometry_msgs_msg_dds__TwistStamped__desc, "rt/c_peer/delta_twist_cmds", 1);
  dds_entity_t r_img = reader(&sensor_msgs_msg_dds__Image__desc, "rt/camera/image_raw", 0, 32);
  dds_entity_t r_js = reader(&sensor_msgs_msg_dds__JointState__desc, "rt/joint_states", 0, 200);
  dds_entity_t r_twist = reader(&geometry_msgs_msg_dds__TwistStamped__desc, "rt/servo_node/delta_twist_cmds", 1, 200);
  dds_entity_t r_traj = reader(&trajectory_msgs_msg_dds__JointTrajectory__desc, "rt/arm_controller/joint_trajectory", 1, 200);
  dds_entity_t r_grip = reader(&std_msgs_msg_dds__Float64MultiArray__desc, "rt/gripper_controller/commands", 1, 200);
  dds_entity_t r_estop = reader(&std_msgs_msg_dds__Bool__desc, "rt/wmpc/estop", 1, 200);
  dds_entity_t r_path = reader(&nav_msgs_msg_dds__Path__desc, "rt/wmpc/planned_path", 1, 200);
  dds_entity_t r_diag = reader(&diagnostic_msgs_msg_dds__DiagnosticArray__desc, "rt/diagnostics", 1, 200);

  /* wait until the Java side matched every endpoint (discovery over unicast loopback) */
  for (int i = 0; i < 2000; i++) {
    if (matched_w(w_img) && matched_w(w_js) && matched_w(w_twist) && matched_r(r_img) && matched_r(r_js)
        && matched_r(r_twist) && matched_r(r_traj) && matched_r(r_grip) && matched_r(r_estop) && matched_r(r_path)
        && matched_r(r_diag)) break;
    dds_sleepfor(DDS_MSECS(10));
  }
  printf("READY\n");
  fflush(stdout);

  sensor_msgs_msg_dds__Image_ img;
  memset(&img, 0, sizeof img);
  img.header.frame_id = "camera";
  img.height = H; img.width = W; img.encoding = "rgb8"; img.step = W * 3;
  img.data._buffer = malloc(FRAME);
  img.data._length = img.data._maximum = FRAME;

  char *names[6] = {"joint_1", "joint_2", "joint_3", "joint_4", "joint_5", "joint_6"};
  double pos[6];
  sensor_msgs_msg_dds__JointState_ js;
  memset(&js, 0, sizeof js);
  js.header.frame_id = "";
  js.name._buffer = names; js.name._length = js.name._maximum = 6;
  js.position._buffer = pos; js.position._length = js.position._maximum = 6;

  geometry_msgs_msg_dds__TwistStamped_ tw;
  memset(&tw, 0, sizeof tw);
  tw.header.frame_id = "base_link";

  long sent_img = 0, sent_js = 0, sent_twist = 0;
  long ticks = (long) (seconds * 100), drain_ticks = 100;
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  for (long k = 0; k < ticks + drain_ticks; k++) {
    if (k < ticks) {
      js.header.stamp.sec = (int32_t) k;
      for (int j = 0; j < 6; j++) pos[j] = k + j;
      if (dds_write(w_js, &js) == DDS_RETCODE_OK) sent_js++;
      if (k % 10 == 0 || k % 10 == 3 || k % 10 == 6) {
        img.header.stamp.sec = (int32_t) sent_img;
        for (int i = 0; i < FRAME; i++) img.data._buffer[i] = (uint8_t) (i * 7 + sent_img);
        if (dds_write(w_img, &img) == DDS_RETCODE_OK) sent_img++;
      }
      if (k % 10 == 0) {
        tw.twist.linear.x = (double) sent_twist;
        if (dds_write(w_twist, &tw) == DDS_RETCODE_OK) sent_twist++;
      }
    }
    drain(r_img, on_image);
    drain(r_js, on_js);
    drain(r_twist, on_twist);
    drain(r_traj, on_traj);
    drain(r_grip, on_grip);
    drain(r_estop, on_estop);
    drain(r_path, on_path);
    drain(r_diag, on_diag);
    tick_sleep(&t, 10000000L);
  }
  printf("{\"sent_image\":%ld,\"sent_joint_states\":%ld,\"sent_twist\":%ld,\"image\":%ld,\"image_bad\":%ld,"
         "\"joint_states\":%ld,\"joint_states_bad\":%ld,\"twist\":%ld,\"twist_out_of_order\":%ld,"
         "\"trajectory\":%ld,\"gripper\":%ld,\"estop\":%ld,\"estop_true\":%ld,"
         "\"path\":%ld,\"path_bad\":%ld,\"diagnostics\":%ld,\"diagnostics_bad\":%ld}\n",
         sent_img, sent_js, sent_twist, image_ok, image_bad, js_ok, js_bad, twist_n, twist_order_bad,
         traj_n, grip_n, estop_n, estop_true, path_ok, path_bad, diag_ok, diag_bad);
  fflush(stdout);
  free(img.data._buffer);
  dds_delete(pp);
  return 0;
}
