package dev.wmpc.planner;

/**
 * Thrown by a cost, encoder or cost model that cannot give a trustworthy answer (non-finite latents, say). The
 * planner and the controller turn it into {@link PlanResult.Hold}: the robot is not moved on a broken estimate.
 */
public final class HoldException extends RuntimeException {
    public HoldException(String reason) { super(reason); }
}
