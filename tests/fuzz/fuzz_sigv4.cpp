// SigV4 canonicalisation of requests whose path, query and header values come from
// outside (object keys, upload ids and part numbers S3 answered, ETags): the canonical
// request keeps its line structure, and uriEncode is reversible.
#include "fuzz_check.h"
#include "sigv4_signer.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace {
bool isHex(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

// Decodes what uriEncode produced; fails (empty optional) on anything else.
std::optional<std::string> uriDecode(const std::string& encoded, bool slashAllowed) {
    std::string out;
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        const char c = encoded[i];
        if (c == '%') {
            if (i + 2 >= encoded.size())
                return std::nullopt;
            if (!isHex(encoded[i + 1]) || !isHex(encoded[i + 2]))
                return std::nullopt;
            out += static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                   c == '.' || c == '~' || (c == '/' && slashAllowed)) {
            out += c;
        } else {
            return std::nullopt;
        }
    }
    return out;
}

// Header names are hoistd's own constants (tokens, RFC 9110 5.1); values are outside input.
std::string headerName(FuzzedDataProvider& input) {
    static constexpr std::string_view kNames[] = {"host",
                                                  "x-amz-date",
                                                  "x-amz-content-sha256",
                                                  "Content-MD5",
                                                  "X-Amz-Security-Token",
                                                  "content-type",
                                                  "Range",
                                                  "HOST"};
    return std::string(input.PickValueInArray(kNames));
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    FuzzedDataProvider input(data, size);
    hoist::SigV4Request request;
    request.method = input.PickValueInArray({"GET", "PUT", "POST", "DELETE", "HEAD"});
    request.path = input.ConsumeRandomLengthString(256);
    const auto queryCount = input.ConsumeIntegralInRange<int>(0, 4);
    for (int i = 0; i < queryCount; ++i)
        request.query.emplace_back(input.ConsumeRandomLengthString(32),
                                   input.ConsumeRandomLengthString(64));
    const auto headerCount = input.ConsumeIntegralInRange<int>(0, 6);
    std::set<std::string> names;
    for (int i = 0; i < headerCount; ++i) {
        std::string name = headerName(input);
        request.headers.emplace_back(name, input.ConsumeRandomLengthString(64));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        names.insert(name);
    }
    request.payloadHash = std::string(hoist::SigV4Signer::kUnsignedPayload);
    const std::string secret = input.ConsumeRandomLengthString(64);
    const auto seconds = input.ConsumeIntegralInRange<std::int64_t>(0, 4102444800); // to 2100

    const hoist::SigV4Signer signer({"AKIDEXAMPLE", secret, ""}, "us-east-1", "s3");
    const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
    const hoist::SigV4Signature signature = signer.sign(request, now);

    // method, path, query, one line per distinct header, the blank line, signed
    // headers, payload hash: values' line breaks are folded, never passed through.
    const auto lines =
        std::count(signature.canonicalRequest.begin(), signature.canonicalRequest.end(), '\n');
    FUZZ_CHECK(static_cast<std::size_t>(lines) == 5 + names.size());
    std::string expectedSigned;
    for (const auto& name : names)
        expectedSigned += (expectedSigned.empty() ? "" : ";") + name;
    FUZZ_CHECK(signature.signedHeaders == expectedSigned);
    FUZZ_CHECK(signature.signature.size() == 64);
    FUZZ_CHECK(signer.sign(request, now).signature == signature.signature);

    FUZZ_CHECK(uriDecode(hoist::SigV4Signer::uriEncode(request.path, false), true) == request.path);
    FUZZ_CHECK(uriDecode(hoist::SigV4Signer::uriEncode(request.path, true), false) == request.path);

    const std::string query = signer.presignQuery(request, now, std::chrono::seconds(900));
    FUZZ_CHECK(query.find("X-Amz-Signature=") != std::string::npos);
    FUZZ_CHECK(query.find_first_of(" \r\n#") == std::string::npos);
    return 0;
}
