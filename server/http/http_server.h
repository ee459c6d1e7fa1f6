#pragma once

#include "byte_sink.h"

#include <tl/expected.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hoist {

// hoistd's own view of HTTP: the rest of the server never sees cpp-httplib, whose
// only includer is http_server.cpp (DESIGN: payload limits, timeouts, the thread
// pool and the exception handler are set in that one place).

struct ServerRequest {
    std::string method;
    std::string path;
    std::vector<std::string> pathParams;             // the pattern's capture groups, in order
    std::multimap<std::string, std::string> headers; // names lower-cased
    std::map<std::string, std::string> query;
    std::optional<std::int64_t> contentLength;
    std::string remoteAddress;
    // Streams the request body into sink. False when the body was cut short or the
    // sink stopped. Reading twice is an error; an unread body is drained afterwards
    // so the connection stays in step.
    std::function<bool(const ByteSink& sink)> readBody;

    std::optional<std::string> header(const std::string& lowerName) const;
    // Reads a whole body of at most maxBytes; nullopt when longer or cut short.
    std::optional<std::string> readSmallBody(std::int64_t maxBytes) const;
};

struct ServerResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string contentType;
    std::string body;
    // A streamed body of a known length, pulled in pieces by the server: the provider
    // writes [offset, offset + length) through the sink and returns false on failure.
    std::int64_t streamLength = -1;
    std::function<bool(std::int64_t offset, std::int64_t length, const ByteSink& sink)> stream;

    void setJson(int statusCode, const std::string& json);
};

using HttpHandler = std::function<void(const ServerRequest&, ServerResponse&)>;
// Decides from the request head alone, before any body byte is read and before
// "100 Continue": false with the answer written into the response refuses the request.
using Admission = std::function<bool(const ServerRequest&, ServerResponse&)>;

// Requests the HTTP layer refuses by itself; the api layer renders each through its
// one error table (docs/protocol.md "Errors"). Every refusal closes the connection.
enum class Refusal {
    BadRequest,           // unparsable, conflicting framing, a body where none is taken
    NotFound,             // no route (also an encoded '/' in the path)
    MethodNotAllowed,     // a route, but not for this method
    RequestTimeout,       // the head did not arrive within --header-timeout
    PayloadTooLarge,      // a body above the payload limit
    UriTooLong,           // a request line above 8 KiB
    RangeNotSatisfiable,  // an unparsable Range header
    UnsupportedMediaType, // a request Content-Encoding
    HeaderFieldsTooLarge, // more header lines or bytes than the caps
    Internal,             // a handler threw
};

struct HttpServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;
    std::string tlsCertFile;
    std::string tlsKeyFile;
    std::size_t threads = 64;
    std::int64_t maxPayloadBytes = 64 * 1024 * 1024;
    std::chrono::seconds writeTimeout{60};
    // Deadlines for request heads and bodies, and after stop() (docs/admin.md "Security").
    std::chrono::milliseconds headerTimeout{10000};
    std::chrono::milliseconds bodyTimeout{300000};
    std::int64_t bodyMinRate = 1024; // bytes/s over bodyRateWindow
    std::chrono::milliseconds bodyRateWindow{10000};
    std::chrono::milliseconds bodyStall{20000}; // a body that sends nothing for this long
    std::chrono::milliseconds shutdownGrace{20000};
    // Open connections; each has a thread of its own that waits for its request head,
    // while only `threads` requests run handlers at once.
    std::size_t maxConnections = 1000;
};

struct RequestLogEntry {
    std::string method;
    std::string path;
    int status = 0;
    std::int64_t bytesIn = 0;
    std::int64_t bytesOut = 0;
    double milliseconds = 0;
    std::string remoteAddress;
};

class HttpServer final {
  public:
    explicit HttpServer(HttpServerOptions options);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Patterns are ECMAScript regular expressions over the path; groups become
    // pathParams. Methods: GET (also answers HEAD), OPTIONS (both take no body), PUT,
    // POST, PATCH, DELETE (streamed bodies).
    // `maxBodyBytes` (0: the server's maxPayloadBytes) refuses a longer Content-Length
    // on the head (413): a tus PATCH may carry a whole file, a native chunk one chunk.
    void route(const std::string& method, const std::string& pattern, HttpHandler handler,
               Admission admission = {}, std::int64_t maxBodyBytes = 0);
    // Renders a refusal of the HTTP layer; without one, refusals carry no body.
    void setRefusalRenderer(std::function<void(Refusal, ServerResponse&)> renderer);
    void setRequestLogger(std::function<void(const RequestLogEntry&)> logger);
    // Called for a handler that threw: the message for the log.
    void setErrorReporter(std::function<void(const std::string&)> reporter);

    // Binds the listening socket; returns the real port (port 0 picks a free one).
    tl::expected<int, std::string> bind();
    bool tls() const;
    // Serves until stop(); in-flight requests finish before it returns.
    void serve();
    // Closes the listening socket; bodies in flight get `grace` (default: the options').
    void stop();
    void stop(std::chrono::milliseconds grace);
    // Requests past admission whose answer is not yet written.
    std::size_t requestsInFlight() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace hoist
