package dev.wmpc.bridge.msg;

import dev.wmpc.bridge.cdr.CdrReader;
import dev.wmpc.bridge.cdr.CdrWriter;
import dev.wmpc.bridge.cdr.MalformedMessageException;
import java.util.ArrayList;
import java.util.List;

/** trajectory_msgs/JointTrajectory, ros2_control's joint_trajectory_controller command. */
public record JointTrajectory(Header header, List<String> jointNames, List<Point> points) {
    public JointTrajectory { jointNames = List.copyOf(jointNames); points = List.copyOf(points); }

    /** trajectory_msgs/JointTrajectoryPoint; {@code timeFromStart} is a builtin_interfaces/Duration. */
    public record Point(double[] positions, double[] velocities, double[] accelerations, double[] effort, Time timeFromStart) {
        public static Point at(double[] positions, double secondsFromStart) {
            return new Point(positions, new double[0], new double[0], new double[0], Time.ofSeconds(secondsFromStart));
        }
    }

    public static final MessageType<JointTrajectory> TYPE = new MessageType<>() {
        @Override public String rosName() { return "trajectory_msgs/msg/JointTrajectory"; }
        @Override public int maxSerializedSize() { return 1024 * 1024; }
        @Override public void write(JointTrajectory m, CdrWriter w) {
            m.header.write(w);
            w.writeStrings(m.jointNames);
            w.writeInt32(m.points.size());
            for (Point p : m.points) {
                w.writeFloat64s(p.positions);
                w.writeFloat64s(p.velocities);
                w.writeFloat64s(p.accelerations);
                w.writeFloat64s(p.effort);
                p.timeFromStart.write(w);
            }
        }
        @Override public JointTrajectory read(CdrReader r) {
            Header h = Header.read(r);
            List<String> names = r.readStrings();
            int n = r.readInt32();
            if (n < 0 || (long) n * 24 > r.remaining()) throw new MalformedMessageException("trajectory claims " + n + " points, more than the message holds");
            List<Point> pts = new ArrayList<>(n);
            for (int i = 0; i < n; i++)
                pts.add(new Point(r.readFloat64s(), r.readFloat64s(), r.readFloat64s(), r.readFloat64s(), Time.read(r)));
            return new JointTrajectory(h, names, pts);
        }
    };
}
