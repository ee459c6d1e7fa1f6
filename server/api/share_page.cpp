#include "share_page.h"

#include "crypto.h"
#include "markup_escape.h"
#include "time_format.h"

#include <openssl/evp.h>

#include <array>
#include <cstdio>

namespace hoist {

namespace {
constexpr std::string_view kStyle = R"(
:root { color-scheme: light dark; --fg: #1d2430; --bg: #f5f7fa; --card: #fff; --accent: #1f6feb; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6e9ef; --bg: #11151c; --card: #1b212b; --accent: #4c8dff; }
}
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg);
       color: var(--fg); font: 16px/1.5 system-ui, sans-serif; }
main { background: var(--card); padding: 2rem; border-radius: 12px; max-width: 32rem;
       width: calc(100% - 4rem); box-shadow: 0 2px 12px rgb(0 0 0 / 15%); }
h1 { font-size: 1.25rem; margin: 0 0 .5rem; overflow-wrap: anywhere; }
p { margin: 0 0 1.25rem; opacity: .8; }
a.download { display: inline-block; padding: .6rem 1.4rem; border-radius: 8px; color: #fff;
             background: var(--accent); text-decoration: none; font-weight: 600; }
a.download:focus-visible { outline: 3px solid var(--fg); outline-offset: 2px; }
)";

std::string humanSize(std::int64_t size) {
    static constexpr const char* kUnits[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(size);
    std::size_t unit = 0;
    while (value >= 1024 && unit + 1 < std::size(kUnits)) {
        value /= 1024;
        ++unit;
    }
    char text[48];
    if (unit == 0)
        std::snprintf(text, sizeof text, "%lld bytes", static_cast<long long>(size));
    else
        std::snprintf(text, sizeof text, "%.1f %s (%lld bytes)", value, kUnits[unit],
                      static_cast<long long>(size));
    return text;
}

std::string page(std::string_view title, const std::string& body) {
    return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
           "<meta name=\"referrer\" content=\"no-referrer\"><title>" +
           escapeMarkup(title) + "</title><style>" + std::string(kStyle) +
           "</style></head>\n<body><main>" + body + "</main></body></html>\n";
}
} // namespace

std::string sharePageHtml(std::string_view fileName, std::int64_t size, std::int64_t expiresAt,
                          std::string_view downloadHref) {
    return page(fileName, "<h1>" + escapeMarkup(fileName) + "</h1><p>" + humanSize(size) +
                              " &middot; link valid until " + formatRfc3339(expiresAt) +
                              "</p><a class=\"download\" href=\"" + escapeMarkup(downloadHref) +
                              "\" download>Download</a>");
}

std::string goneSharePageHtml() {
    return page("Link not available", "<h1>This link is not available</h1><p>It has expired or "
                                      "was revoked, or the file was deleted.</p>");
}

std::string sharePageCsp() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_Digest(kStyle.data(), kStyle.size(), digest.data(), &length, EVP_sha256(), nullptr);
    const std::string hash =
        base64Encode(std::string_view(reinterpret_cast<const char*>(digest.data()), length));
    return "default-src 'none'; style-src 'sha256-" + hash +
           "'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
}

} // namespace hoist
