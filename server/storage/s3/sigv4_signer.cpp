#include "sigv4_signer.h"

#include "crypto.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <stdexcept>

namespace hoist {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

std::string lowercase(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// SigV4 trims a header value and folds each run of spaces into one.
std::string canonicalHeaderValue(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    bool pendingSpace = false;
    for (const char c : value) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            pendingSpace = !out.empty();
            continue;
        }
        if (pendingSpace) {
            out += ' ';
            pendingSpace = false;
        }
        out += c;
    }
    return out;
}

struct CanonicalHeaders {
    std::string block; // "name:value\n" per header
    std::string signedNames;
};

CanonicalHeaders canonicalHeaders(const std::vector<std::pair<std::string, std::string>>& headers) {
    std::vector<std::pair<std::string, std::string>> sorted;
    sorted.reserve(headers.size());
    for (const auto& [name, value] : headers) {
        sorted.emplace_back(lowercase(name), canonicalHeaderValue(value));
    }
    // Stable: repeated headers keep their order when their values are joined.
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    CanonicalHeaders out;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (i > 0 && sorted[i].first == sorted[i - 1].first) {
            out.block.back() = ',';
            out.block += sorted[i].second + '\n';
            continue;
        }
        if (!out.signedNames.empty()) {
            out.signedNames += ';';
        }
        out.signedNames += sorted[i].first;
        out.block += sorted[i].first + ':' + sorted[i].second + '\n';
    }
    return out;
}

std::string canonicalQuery(const std::vector<std::pair<std::string, std::string>>& query) {
    std::vector<std::pair<std::string, std::string>> encoded;
    encoded.reserve(query.size());
    for (const auto& [name, value] : query) {
        encoded.emplace_back(SigV4Signer::uriEncode(name, true),
                             SigV4Signer::uriEncode(value, true));
    }
    std::sort(encoded.begin(), encoded.end());
    std::string out;
    for (const auto& [name, value] : encoded) {
        if (!out.empty()) {
            out += '&';
        }
        out += name + '=' + value;
    }
    return out;
}

} // namespace

SigV4Signer::SigV4Signer(AwsCredentials credentials, std::string region, std::string service)
    : m_credentials(std::move(credentials)), m_region(std::move(region)),
      m_service(std::move(service)) {}

std::string SigV4Signer::amzDate(std::chrono::system_clock::time_point time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::array<char, 20> text{};
    const auto length = std::strftime(text.data(), text.size(), "%Y%m%dT%H%M%SZ", &utc);
    return std::string(text.data(), length);
}

std::string SigV4Signer::uriEncode(std::string_view text, bool encodeSlash) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~' ||
            (c == '/' && !encodeSlash)) {
            out += c;
        } else {
            out += '%';
            out += kDigits[byte >> 4];
            out += kDigits[byte & 0x0f];
        }
    }
    return out;
}

std::string SigV4Signer::sha256Hex(std::string_view bytes) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    std::size_t length = 0;
    if (EVP_Q_digest(nullptr, "SHA256", nullptr, bytes.data(), bytes.size(), digest.data(),
                     &length) == 0) {
        throw std::runtime_error("OpenSSL SHA-256 is unavailable");
    }
    return toHex(std::string_view(reinterpret_cast<const char*>(digest.data()), length));
}

std::string SigV4Signer::signingKey(std::string_view secret, std::string_view date,
                                    std::string_view region, std::string_view service) {
    const std::string kSecret = "AWS4" + std::string(secret);
    const std::string kDate = hmacSha256(kSecret, date);
    const std::string kRegion = hmacSha256(kDate, region);
    const std::string kService = hmacSha256(kRegion, service);
    return hmacSha256(kService, "aws4_request");
}

std::string SigV4Signer::scope(const std::string& date) const {
    return date + '/' + m_region + '/' + m_service + "/aws4_request";
}

SigV4Signature SigV4Signer::signWithQuery(const SigV4Request& request,
                                          const std::string& amzDate) const {
    const std::string date = amzDate.substr(0, 8);
    const CanonicalHeaders headers = canonicalHeaders(request.headers);

    SigV4Signature out;
    out.signedHeaders = headers.signedNames;
    out.canonicalRequest = request.method + '\n' + uriEncode(request.path, false) + '\n' +
                           canonicalQuery(request.query) + '\n' + headers.block + '\n' +
                           headers.signedNames + '\n' + request.payloadHash;
    out.stringToSign = std::string(kAlgorithm) + '\n' + amzDate + '\n' + scope(date) + '\n' +
                       sha256Hex(out.canonicalRequest);
    const std::string key = signingKey(m_credentials.secretAccessKey, date, m_region, m_service);
    const std::string mac = hmacSha256(key, out.stringToSign);
    out.signature = toHex(mac);
    out.authorization = std::string(kAlgorithm) + " Credential=" + m_credentials.accessKeyId + '/' +
                        scope(date) + ", SignedHeaders=" + headers.signedNames +
                        ", Signature=" + out.signature;
    return out;
}

SigV4Signature SigV4Signer::sign(const SigV4Request& request,
                                 std::chrono::system_clock::time_point now) const {
    return signWithQuery(request, amzDate(now));
}

std::string SigV4Signer::presignQuery(const SigV4Request& request,
                                      std::chrono::system_clock::time_point now,
                                      std::chrono::seconds expires) const {
    const std::string date = amzDate(now);
    SigV4Request presigned = request;
    presigned.payloadHash = std::string(kUnsignedPayload);
    presigned.query.emplace_back("X-Amz-Algorithm", std::string(kAlgorithm));
    presigned.query.emplace_back("X-Amz-Credential",
                                 m_credentials.accessKeyId + '/' + scope(date.substr(0, 8)));
    presigned.query.emplace_back("X-Amz-Date", date);
    presigned.query.emplace_back("X-Amz-Expires", std::to_string(expires.count()));
    presigned.query.emplace_back("X-Amz-SignedHeaders",
                                 canonicalHeaders(request.headers).signedNames);
    if (!m_credentials.sessionToken.empty()) {
        presigned.query.emplace_back("X-Amz-Security-Token", m_credentials.sessionToken);
    }
    const SigV4Signature signature = signWithQuery(presigned, date);
    return canonicalQuery(presigned.query) + "&X-Amz-Signature=" + signature.signature;
}

} // namespace hoist
