package dev.switchboard.client;

import java.util.List;

/**
 * An answer to {@link SwitchboardClient#history}: publications and the channel's current top position.
 *
 * @param channel      the channel
 * @param top          the offset and epoch of the newest publication in the channel
 * @param complete     {@code false} when publications after {@code since} were already dropped by retention
 * @param publications the publications asked for, oldest first unless {@code reverse} was requested
 */
public record HistoryPage(String channel, StreamPosition top, boolean complete, List<Message> publications) {
}
