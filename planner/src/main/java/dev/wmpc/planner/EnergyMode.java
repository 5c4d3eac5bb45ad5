package dev.wmpc.planner;

/** Which predicted latents the L1 energy compares with the goal: the final step's (V-JEPA 2-AC), or every step's. */
public enum EnergyMode { FINAL, SUM }
