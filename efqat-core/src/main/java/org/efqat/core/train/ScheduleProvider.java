package org.efqat.core.train;

import org.efqat.api.spi.ComponentProvider;

/**
 * The service type of learning-rate schedules ({@code optimizer.schedule}, for example {@code
 * cosine} or {@code {type: step, milestones: [0.5, 0.75], gamma: 0.1}}). Listed in {@code
 * META-INF/services/org.efqat.core.train.ScheduleProvider}.
 *
 * @param <C> the config record
 */
public interface ScheduleProvider<C extends Record> extends ComponentProvider<Schedule, C> {}
