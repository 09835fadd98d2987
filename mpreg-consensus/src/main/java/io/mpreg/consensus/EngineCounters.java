package io.mpreg.consensus;

/** The engine's mutable counters, shared with its rounds; owned by the engine's single thread. */
final class EngineCounters {
    long roundsOpened;
    long commits;
    final long[] aborts = new long[io.mpreg.api.AbortReason.values().length];
    long byzantineFaults;
    long votesCounted;
    long duplicateVotes;
    long strayVotes;
    long lateVotes;
    long detectorErrors;
}
