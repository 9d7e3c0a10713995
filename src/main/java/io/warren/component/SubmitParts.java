package io.warren.component;

import io.warren.intake.JobIntake;
import io.warren.observe.JobMetrics;
import io.warren.publish.JobPublisher;

/** What warren:submit shares with POST /api/v1/jobs/{type}: the same checks, store, confirmed publish and metrics. */
public record SubmitParts(JobIntake intake, JobPublisher publisher, JobMetrics metrics) {
}
