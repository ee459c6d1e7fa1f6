#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hoist {

struct AwsCredentials {
    std::string accessKeyId;
    std::string secretAccessKey;
    std::string sessionToken; // empty unless temporary (STS) credentials
};

// What SigV4 signs of a request. The path and the parameters are raw (not
// percent-encoded): the signer encodes them, and the sender must encode them the same
// way (uriEncode), or the signature will not match.
struct SigV4Request {
    std::string method;
    std::string path = "/";
    std::vector<std::pair<std::string, std::string>> query;
    // Every header listed here is signed (names in any case).
    std::vector<std::pair<std::string, std::string>> headers;
    // Lowercase hex SHA-256 of the body, or "UNSIGNED-PAYLOAD".
    std::string payloadHash;
};

// The intermediate strings are kept so that tests can say which step went wrong:
// a store answers every mistake with the same SignatureDoesNotMatch.
struct SigV4Signature {
    std::string canonicalRequest;
    std::string stringToSign;
    std::string signature;
    std::string authorization; // the Authorization header's value
    std::string signedHeaders;
};

// AWS Signature Version 4 for one service in one region. Stateless and thread-safe.
class SigV4Signer final {
  public:
    SigV4Signer(AwsCredentials credentials, std::string region, std::string service);

    // Signs the request as it is: the caller has already put x-amz-date (amzDate(now)),
    // host and, for temporary credentials, x-amz-security-token among its headers.
    SigV4Signature sign(const SigV4Request& request,
                        std::chrono::system_clock::time_point now) const;

    // The query string (without '?') of a presigned URL for request (its headers are
    // signed too, usually only host), valid for `expires` from `now`.
    std::string presignQuery(const SigV4Request& request, std::chrono::system_clock::time_point now,
                             std::chrono::seconds expires) const;

    const AwsCredentials& credentials() const { return m_credentials; }

    // 20150830T123600Z
    static std::string amzDate(std::chrono::system_clock::time_point time);
    // RFC 3986 percent-encoding as SigV4 wants it: unreserved characters stay, every
    // other byte becomes %XX (uppercase); '/' stays when encodeSlash is false (paths).
    static std::string uriEncode(std::string_view text, bool encodeSlash);
    static std::string sha256Hex(std::string_view bytes);
    // The derived key of kSecret → date → region → service → "aws4_request".
    static std::string signingKey(std::string_view secret, std::string_view date,
                                  std::string_view region, std::string_view service);

    static constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

  private:
    SigV4Signature signWithQuery(const SigV4Request& request, const std::string& amzDate) const;
    std::string scope(const std::string& date) const;

    AwsCredentials m_credentials;
    std::string m_region;
    std::string m_service;
};

} // namespace hoist
