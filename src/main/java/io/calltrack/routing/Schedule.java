package io.calltrack.routing;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

/**
 * When a rule is open, in the site's time zone: weekdays, hour ranges and holiday dates (closed all day).
 * A range whose end is not after its start crosses midnight and belongs to the day it starts on:
 * Friday 22:00-02:00 covers Saturday 01:00. An empty day set means every day; no ranges mean all day.
 */
public record Schedule(Set<DayOfWeek> days, List<HourRange> hours, Set<LocalDate> holidays) {
    public static final Schedule ALWAYS = new Schedule(Set.of(), List.of(), Set.of());

    public record HourRange(LocalTime from, LocalTime to) {
        boolean crossesMidnight() {
            return !to.isAfter(from);
        }
    }

    public Schedule {
        days = Set.copyOf(days);
        hours = List.copyOf(hours);
        holidays = Set.copyOf(holidays);
    }

    public boolean isOpen(ZonedDateTime local) {
        LocalDate today = local.toLocalDate();
        LocalTime time = local.toLocalTime();
        if (hours.isEmpty()) return openDay(today);
        for (HourRange r : hours) {
            if (!r.crossesMidnight()) {
                if (openDay(today) && !time.isBefore(r.from()) && time.isBefore(r.to())) return true;
            } else {
                if (openDay(today) && !time.isBefore(r.from())) return true;
                if (openDay(today.minusDays(1)) && time.isBefore(r.to())) return true;
            }
        }
        return false;
    }

    private boolean openDay(LocalDate date) {
        return !holidays.contains(date) && (days.isEmpty() || days.contains(date.getDayOfWeek()));
    }
}
