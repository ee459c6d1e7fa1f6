#pragma once

#include <tl/expected.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace httplib {
class Client;
}

namespace hoist {

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

// Receives a body piece by piece; returning false stops the transfer.
using BodySink = std::function<bool(std::span<const char>)>;
// Writes the request body from `offset` on through `write`, as much as it likes per
// call; it is called again until bodyLength bytes went out. False aborts the request.
using BodyProvider = std::function<bool(std::int64_t offset, const BodySink& write)>;

struct HttpRequest {
    std::string method = "GET";
    // scheme://host[:port]/path?query, path and query already percent-encoded.
    std::string url;
    HttpHeaders headers;
    // Not owned: the bytes must outlive request(). Sent without a copy.
    std::string_view body;
    // Instead of `body`: a streamed body of exactly bodyLength bytes.
    BodyProvider bodyProvider;
    std::int64_t bodyLength = 0;
    // Zero: the client's default.
    std::chrono::milliseconds timeout{0};
    // For the whole exchange, however slowly the peer trickles (`timeout` bounds each
    // read or write only): past it the connection is shut down and the request fails
    // with Kind::Timeout. Zero: none.
    std::chrono::milliseconds deadline{0};
};

struct HttpResponse {
    int status = 0;
    HttpHeaders headers;
    // The whole body, except a 2xx body that went to a sink.
    std::string body;

    // First value of a header, matched case-insensitively.
    std::optional<std::string> header(std::string_view name) const;
};

struct HttpTransportError {
    enum class Kind { Connect, Timeout, Tls, Canceled, Io, InvalidUrl };
    Kind kind = Kind::Io;
    std::string message;
};

struct HttpClientOptions {
    std::chrono::milliseconds connectTimeout{5000};
    // Per socket read or write: how long the peer may stay silent.
    std::chrono::milliseconds ioTimeout{60000};
    // PEM bundle to trust instead of the system's (self-signed test servers).
    std::string caFile;
    // Idle keep-alive connections kept per origin.
    std::size_t maxIdlePerOrigin = 8;
};

// A small HTTP(S) client over cpp-httplib, safe to share between threads: each request
// borrows a keep-alive connection to its origin from a pool (httplib::Client itself
// serves one request at a time) and gives it back afterwards.
class HttpClient final {
  public:
    explicit HttpClient(HttpClientOptions options = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    // Any status is a response; only a failure to exchange one is an error. With a sink,
    // a 2xx body streams into it instead of HttpResponse::body (error bodies never do).
    tl::expected<HttpResponse, HttpTransportError> request(const HttpRequest& request,
                                                           const BodySink& sink = {});

  private:
    std::unique_ptr<httplib::Client> borrow(const std::string& origin);
    void giveBack(const std::string& origin, std::unique_ptr<httplib::Client> client);

    HttpClientOptions m_options;
    std::mutex m_mutex;
    std::map<std::string, std::vector<std::unique_ptr<httplib::Client>>> m_idle;
};

} // namespace hoist
