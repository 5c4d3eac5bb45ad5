package dev.wmpc.sim;

import dev.wmpc.core.kinematics.Pose;
import java.util.Map;

public class PerfProbe {
    public static void main(String[] args) {
        ArmModel arm = new ArmModel();
        double[] f = {0.04, 0.04};
        try (PhysicsWorld w = new PhysicsWorld(arm.urdf(), 1, 1 / 240.0)) {
            w.setCube(0, new SimState.Body(new dev.wmpc.core.Vec3(0.5, 0, 0.025), dev.wmpc.core.Quat.IDENTITY, dev.wmpc.core.Vec3.ZERO, dev.wmpc.core.Vec3.ZERO));
            for (int rep = 0; rep < 3; rep++) {
                int n = 20000;
                long t0 = System.nanoTime();
                Map<String, Pose> poses = null;
                for (int i = 0; i < n; i++) poses = arm.linkPoses(ArmModel.HOME, f);
                long t1 = System.nanoTime();
                for (int i = 0; i < n; i++) w.setLinkPoses(poses);
                long t2 = System.nanoTime();
                for (int i = 0; i < n; i++) w.step();
                long t3 = System.nanoTime();
                for (int i = 0; i < n; i++) w.cubePose(0);
                long t4 = System.nanoTime();
                for (int i = 0; i < n / 10; i++) arm.solve(new dev.wmpc.core.Vec3(0.4, 0.1, 0.2), ArmModel.HOME);
                long t5 = System.nanoTime();
                System.out.printf("linkPoses %.1f us, setLinkPoses %.1f us, step %.1f us, cubePose %.1f us, ik %.1f us%n",
                        (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, (t3 - t2) / 1e3 / n, (t4 - t3) / 1e3 / n, (t5 - t4) / 1e3 / (n / 10));
            }
        }
    }
}
