package dev.wmpc.launch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wmpc.core.RobotState;
import dev.wmpc.core.WmpcException;
import dev.wmpc.core.kinematics.Urdf;
import dev.wmpc.sim.ArmModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The arm a model learned from, as its manifest records it under {@code "arm"}: the URDF's robot name and the link
 * whose pose {@code observation.state} carries ({@code ee_*}). With the manifest's {@code state_names} it tells whether
 * a robot gives the observations the model was trained on: {@link #check} and {@link #checkStateNames} name the first
 * difference. The simulator's arm ships with wmpc, so a controller can load its URDF without being told where it is.
 *
 * @param urdf    the URDF's robot name ({@code <robot name="...">})
 * @param tipLink the end-effector link
 */
record ModelArm(String urdf, String tipLink) {
    static final String KEY = "arm";
    /** The simulator's end-effector link: the tool centre point between the fingertips. */
    static final String SIMULATOR_TIP_LINK = "tcp";
    /** Robot types of the datasets the simulator writes ({@code wmpc collect}'s, {@code wmpc train all}'s). */
    static final Set<String> SIMULATOR_ROBOT_TYPES = Set.of("wmpc_arm", "wmpc-sim");

    /** The simulator's arm. */
    static ModelArm simulator() { return new ModelArm(simulatorUrdf().name(), SIMULATOR_TIP_LINK); }

    /** The simulator arm's URDF, shipped with wmpc. */
    static Urdf simulatorUrdf() {
        try (InputStream in = ArmModel.class.getResourceAsStream(ArmModel.URDF_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + ArmModel.URDF_RESOURCE);
            return Urdf.parse(in, ArmModel.URDF_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean isSimulator() { return equals(simulator()); }

    /** The arm of a dataset with this {@code robot_type}: the simulator's for the types it writes, else unknown. */
    static Optional<ModelArm> ofDataset(String robotType) {
        return SIMULATOR_ROBOT_TYPES.contains(robotType) ? Optional.of(simulator()) : Optional.empty();
    }

    /**
     * The {@code robot_type} a dataset recorded from this arm gets: the URDF's robot name, with {@code /tip_link} when the
     * end effector is not {@value #SIMULATOR_TIP_LINK}. For the simulator's arm it is a type {@link #ofDataset} maps
     * back to it, so a model trained on the recording names its arm.
     */
    String datasetRobotType() { return tipLink.equals(SIMULATOR_TIP_LINK) ? urdf : urdf + "/" + tipLink; }

    /** As the manifest holds it: {@code {"urdf": ..., "tip_link": ...}}. */
    Map<String, Object> toManifest() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("urdf", urdf);
        m.put("tip_link", tipLink);
        return m;
    }

    /** The arm a manifest records, if it records one (models trained before it did do not). */
    static Optional<ModelArm> of(JsonNode manifest) {
        JsonNode a = manifest == null ? null : manifest.get(KEY);
        if (a == null || !a.isObject() || !a.path("urdf").isTextual() || !a.path("tip_link").isTextual()) return Optional.empty();
        return Optional.of(new ModelArm(a.get("urdf").asText(), a.get("tip_link").asText()));
    }

    /** The {@code observation.state} names a manifest records, if any. */
    static Optional<List<String>> stateNames(JsonNode manifest) {
        JsonNode s = manifest == null ? null : manifest.get("state_names");
        if (s == null || !s.isArray()) return Optional.empty();
        List<String> out = new ArrayList<>();
        s.forEach(n -> out.add(n.asText()));
        return Optional.of(out);
    }

    /** Fails, naming both, when the robot's URDF and end-effector link are not this arm's. */
    void check(String robotUrdf, String robotTipLink, String model) {
        if (!urdf.equals(robotUrdf) || !tipLink.equals(robotTipLink))
            throw new WmpcException("model " + model + " was trained on arm '" + urdf + "' (end effector " + tipLink
                    + ") but this robot's URDF is '" + robotUrdf + "' (tip_link " + robotTipLink
                    + "): give the URDF of the arm the model learned from (--urdf, tip_link) or a model trained on this arm (--model DIR)");
    }

    /**
     * Fails, naming the first difference, when a robot with these arm joints would not give the {@code observation.state}
     * the model was trained with (joint positions, then {@link RobotState#POSE_NAMES}).
     */
    static void checkStateNames(List<String> trained, List<String> robotJoints, String model) {
        List<String> robot = new ArrayList<>(robotJoints);
        robot.addAll(RobotState.POSE_NAMES);
        if (robot.equals(trained)) return;
        int i = 0;
        while (i < Math.min(robot.size(), trained.size()) && robot.get(i).equals(trained.get(i))) i++;
        String first = i < Math.min(robot.size(), trained.size())
                ? "entry " + i + " is '" + trained.get(i) + "' in training but '" + robot.get(i) + "' here"
                : trained.size() + " entries in training but " + robot.size() + " here";
        throw new WmpcException("model " + model + " was trained with observation.state " + trained + " but this robot gives "
                + robot + " (" + first + "): set joint_names / --urdf to the arm the model learned from, or use a model trained on this arm");
    }
}
