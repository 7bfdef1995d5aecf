// Calendar arithmetic for the two timestamp formats Baton writes: RFC 3339 with fractional seconds (etcd's
// `expiration`, Go's RFC3339Nano in UTC) and the IMF-fixdate of the HTTP `Date` header. Hand-written so the hot
// path does not go through Foundation's formatters; days-from-civil after Howard Hinnant's public algorithm.

import Store

package enum TimeFormatting {
    /// `2026-11-26T12:00:01.5Z`: UTC, fraction without trailing zeros, omitted when zero (Go RFC3339Nano).
    package static func rfc3339(_ t: Timestamp) -> String {
        let ms = t.milliseconds
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let fraction = ms - seconds * 1000
        let c = civil(seconds)
        var s = "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
        if fraction != 0 {
            var digits = pad(Int(fraction), 3)
            while digits.hasSuffix("0") { digits.removeLast() }
            s += "." + digits
        }
        return s + "Z"
    }

    /// `Thu, 26 Nov 2026 12:00:00 GMT` for the given Unix second.
    package static func httpDate(unixSeconds: Int64) -> String {
        let c = civil(unixSeconds)
        let days = unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400
        let weekday = Int((days % 7 + 11) % 7)  // 1970-01-01 was a Thursday
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(names[weekday]), \(pad(c.day, 2)) \(months[c.month - 1]) \(pad(c.year, 4)) \(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2)) GMT"
    }

    /// Go's `time.Duration.String()` for a non-negative number of milliseconds, e.g. `1h2m3.004s`.
    package static func goDuration(milliseconds: Int64) -> String {
        if milliseconds == 0 { return "0s" }
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        var rest = milliseconds
        let hours = rest / 3_600_000; rest %= 3_600_000
        let minutes = rest / 60_000; rest %= 60_000
        let seconds = rest / 1000, ms = rest % 1000
        var s = ""
        if hours > 0 { s += "\(hours)h" }
        if hours > 0 || minutes > 0 { s += "\(minutes)m" }
        s += "\(seconds)"
        if ms > 0 {
            var digits = pad(Int(ms), 3)
            while digits.hasSuffix("0") { digits.removeLast() }
            s += "." + digits
        }
        return s + "s"
    }

    private struct Civil { var year, month, day, hour, minute, second: Int }

    private static func civil(_ unixSeconds: Int64) -> Civil {
        let days = unixSeconds >= 0 ? unixSeconds / 86_400 : (unixSeconds - 86_399) / 86_400
        let secondOfDay = Int(unixSeconds - days * 86_400)
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return Civil(year: Int(year), month: Int(month), day: Int(day),
                     hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
