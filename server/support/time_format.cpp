#include "time_format.h"

#include <chrono>
#include <ctime>

namespace hoist {

std::int64_t nowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

namespace {
std::string formatUtc(std::int64_t unixSeconds, const char* format) {
    const std::time_t t = static_cast<std::time_t>(unixSeconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char buffer[40];
    std::strftime(buffer, sizeof buffer, format, &utc);
    return buffer;
}
} // namespace

std::string formatRfc3339(std::int64_t unixSeconds) {
    return formatUtc(unixSeconds, "%Y-%m-%dT%H:%M:%SZ");
}

std::string formatHttpDate(std::int64_t unixSeconds) {
    // strftime's %a and %b follow the locale; hoistd never sets one, so they are C's.
    return formatUtc(unixSeconds, "%a, %d %b %Y %H:%M:%S GMT");
}

} // namespace hoist
