package dev.wmpc.launch;

import dev.wmpc.sim.SimRobot;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** {@code --goals}: which goal images a simulated episode gives the controller (eval and demo share it). */
final class SimGoalOptions {
    /** The kinds of goal the simulator can give. */
    enum Kind { FINAL, KEYFRAMES, SCRIPTED }

    @Option(names = "--goals", defaultValue = "final", paramLabel = "final|keyframes|scripted",
            description = "The goal images the controller gets: final (the goal image alone, as a user gives it), keyframes "
                    + "(at most 3 a person could photograph: push: the gripper lowered behind the cube, then the goal; "
                    + "pick-place: the open hand around the cube, the cube lifted, then the goal; the controller switches "
                    + "between them itself), or scripted (the simulator's sub-goal images every few cm with step budgets and "
                    + "gripper states: privileged help, reported as such) (default: ${DEFAULT-VALUE}).")
    Kind kind = Kind.FINAL;

    /** The goal of the episode {@code sim} was just reset to, as {@code --goals} asks. */
    GoalController.Goals goals(SimRobot sim) {
        return switch (kind) {
            case FINAL -> GoalController.Goals.images(sim.goalFrames().subList(0, 1));
            case KEYFRAMES -> GoalController.Goals.images(sim.keyframeGoals());
            case SCRIPTED -> {
                List<SimRobot.SubGoal> sub = sim.subGoals();
                yield new GoalController.Goals(sub.stream().map(SimRobot.SubGoal::frame).toList(),
                        sub.stream().map(SimRobot.SubGoal::steps).toList(), sub.stream().map(SimRobot.SubGoal::gripper).toList());
            }
        };
    }

    /** Whether the goals carry what only the simulator's script knows. */
    boolean privileged() { return kind == Kind.SCRIPTED; }

    String name() { return kind.name().toLowerCase(Locale.ROOT); }
}
