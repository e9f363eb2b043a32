package io.calltrack.reports;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Spend on one channel (and optionally one campaign; empty = the whole channel) on one site day. */
public record AdCost(LocalDate day, String channel, String campaign, BigDecimal amount) {}
