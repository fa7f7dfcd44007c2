package dev.switchboard.server.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * History retention per channel-name pattern, first match wins, with a default for the rest; plus how long
 * a channel's offset counter and epoch outlive its last publication ({@code metaTtl}), after which an idle
 * channel is forgotten and starts again under a new epoch.
 *
 * <p>Text form (config option {@code --history}): {@code "chat:*=1000/10m, tmp:*=0, *=100/5m"}: each rule is
 * {@code glob=size[/age]}; a {@code *} rule sets the default. Ages: {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 2h}, {@code 0} (no age limit).
 */
public final class RetentionRules {

    /** One pattern → policy rule. */
    public record Rule(String glob, HistoryPolicy policy) {
    }

    /** Default time an idle channel's offset/epoch is kept: long enough for clients to recover after a blip. */
    public static final Duration DEFAULT_META_TTL = Duration.ofHours(1);

    private final List<Rule> rules;
    private final List<Pattern> patterns;
    private final HistoryPolicy fallback;
    private final Duration metaTtl;

    public RetentionRules(List<Rule> rules, HistoryPolicy fallback, Duration metaTtl) {
        this.rules = List.copyOf(rules);
        this.fallback = fallback;
        this.patterns = this.rules.stream().map(r -> globToRegex(r.glob())).toList();
        // The counter must outlive every retained publication, or a client could see an offset reused.
        Duration longest = fallback.ttl();
        for (Rule r : this.rules) {
            if (r.policy().ttl().compareTo(longest) > 0) {
                longest = r.policy().ttl();
            }
        }
        this.metaTtl = metaTtl.compareTo(longest) < 0 ? longest : metaTtl;
    }

    /**
     * How long a publication's idempotency key is remembered in {@code channel}: the history's age limit (a
     * repeat is recognised as long as the original could be read back), or the meta TTL when history has no
     * age limit or is off.
     */
    public Duration dedupWindowFor(String channel) {
        Duration ttl = policyFor(channel).ttl();
        return ttl.isZero() || ttl.isNegative() ? metaTtl : ttl;
    }

    /** The rules, in the order they are tried. */
    public List<Rule> rules() {
        return rules;
    }

    /** The policy of channels no rule names. */
    public HistoryPolicy fallback() {
        return fallback;
    }

    /** 100 publications / 5 minutes for every channel. */
    public static RetentionRules defaults() {
        return new RetentionRules(List.of(), HistoryPolicy.DEFAULT, DEFAULT_META_TTL);
    }

    /** The same policy for every channel. */
    public static RetentionRules uniform(HistoryPolicy policy) {
        return new RetentionRules(List.of(), policy, DEFAULT_META_TTL);
    }

    /** Parses the text form described on the class; blank → {@link #defaults()}. */
    public static RetentionRules parse(String text) {
        return parse(text, HistoryPolicy.DEFAULT);
    }

    /** Parses the text form, with {@code fallback} for channels no rule names (unless a {@code *} rule does). */
    public static RetentionRules parse(String text, HistoryPolicy fallback) {
        if (text == null || text.isBlank()) {
            return new RetentionRules(List.of(), fallback, DEFAULT_META_TTL);
        }
        List<Rule> rules = new ArrayList<>();
        for (String part : text.split(",")) {
            String rule = part.trim();
            if (rule.isEmpty()) {
                continue;
            }
            int eq = rule.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("history rule must be glob=size[/age]: " + rule);
            }
            String glob = rule.substring(0, eq).trim();
            HistoryPolicy policy = parsePolicy(rule.substring(eq + 1).trim());
            if (glob.equals("*")) {
                fallback = policy;
            } else {
                rules.add(new Rule(glob, policy));
            }
        }
        return new RetentionRules(rules, fallback, DEFAULT_META_TTL);
    }

    /** A copy with another idle-channel lifetime. */
    public RetentionRules withMetaTtl(Duration ttl) {
        return new RetentionRules(rules, fallback, ttl);
    }

    /** The policy for {@code channel}. */
    public HistoryPolicy policyFor(String channel) {
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matcher(channel).matches()) {
                return rules.get(i).policy();
            }
        }
        return fallback;
    }

    /** How long a channel's offset counter and epoch are kept after its last activity. */
    public Duration metaTtl() {
        return metaTtl;
    }

    private static HistoryPolicy parsePolicy(String text) {
        String[] sizeAndAge = text.split("/", 2);
        int size = Integer.parseInt(sizeAndAge[0].trim());
        Duration age = sizeAndAge.length > 1 ? parseDuration(sizeAndAge[1].trim()) : HistoryPolicy.DEFAULT.ttl();
        return new HistoryPolicy(size, size == 0 ? Duration.ZERO : age);
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or a bare number of seconds. */
    public static Duration parseDuration(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        }
        long n = Long.parseLong(Character.isDigit(t.charAt(t.length() - 1)) ? t : t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            case 'd' -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static Pattern globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
