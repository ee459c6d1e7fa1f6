#include "http_server.h"

#include "guarded_stream.h"
#include "tls_transport.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <poll.h>
#include <regex>
#include <semaphore>
#include <sys/socket.h>
#include <thread>

namespace hoist {

namespace {
std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// What the connection loop and the hooks httplib calls during one request share; they
// all run on the connection's thread, inside process_request.
struct RequestState {
    GuardedStream* stream = nullptr;
    bool admitted = false; // the gate ran and let the request through
    bool holdsSlot = false;
    // True only once the request's body is known to be read to its end: then, and only
    // then, may the next bytes on the connection be taken as a request. Any answer
    // given before that closes the connection (no desync, docs/admin.md "Security").
    bool reusable = false;
    bool close = false;
    std::chrono::steady_clock::time_point start;
};
thread_local RequestState* t_state = nullptr;

std::int64_t headerNumber(const httplib::Headers& headers, const char* name) {
    const auto it = headers.find(name);
    if (it == headers.end())
        return 0;
    try {
        return std::stoll(it->second);
    } catch (const std::exception&) {
        return 0;
    }
}

ServerRequest translate(const httplib::Request& in) {
    ServerRequest out;
    out.method = in.method;
    out.path = in.path;
    out.remoteAddress = in.remote_addr;
    for (std::size_t i = 1; i < in.matches.size(); ++i)
        out.pathParams.push_back(in.matches[i].str());
    for (const auto& [name, value] : in.headers)
        out.headers.emplace(lower(name), value);
    for (const auto& [name, value] : in.params)
        out.query.emplace(name, value);
    if (const auto it = in.headers.find("Content-Length"); it != in.headers.end()) {
        const std::string& text = it->second;
        if (!text.empty() && text.size() <= 18 &&
            std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
            out.contentLength = std::stoll(text);
    }
    return out;
}

// A body of a known length, handed on in the pieces it arrives in (up to 256 KiB) from
// the connection's buffer: httplib's reader copies it out 4 KiB at a time, each piece
// another trip through the handler's sink (and a lock in ChunkPipeline::feed). With 200
// uploads that copy was 13 % of hoistd's samples (bench/README.md, issue #13).
bool receiveKnownLength(GuardedStream& stream, std::int64_t length, const ByteSink& sink) {
    while (length > 0) {
        const auto piece =
            stream.receiveBody(static_cast<std::size_t>(std::min<std::int64_t>(length, 1 << 30)));
        if (piece.empty() || !sink(piece.data(), piece.size()))
            return false;
        length -= static_cast<std::int64_t>(piece.size());
    }
    return true;
}

bool hasBody(const httplib::Request& req) {
    return req.has_header("Transfer-Encoding") ||
           (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
}

void apply(const ServerResponse& in, httplib::Response& out) {
    out.status = in.status;
    for (const auto& [name, value] : in.headers)
        out.set_header(name, value);
    if (in.stream) {
        auto stream = in.stream;
        out.set_content_provider(
            static_cast<std::size_t>(in.streamLength), in.contentType,
            [stream](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                return stream(static_cast<std::int64_t>(offset), static_cast<std::int64_t>(length),
                              [&sink](const char* data, std::size_t size) {
                                  return sink.is_writable() && sink.write(data, size);
                              });
            });
    } else if (!in.body.empty() || !in.contentType.empty()) {
        out.set_content(in.body,
                        in.contentType.empty() ? "application/octet-stream" : in.contentType);
    }
}
} // namespace

std::optional<std::string> ServerRequest::header(const std::string& lowerName) const {
    const auto it = headers.find(lowerName);
    if (it == headers.end())
        return std::nullopt;
    return it->second;
}

std::optional<std::string> ServerRequest::readSmallBody(std::int64_t maxBytes) const {
    if (contentLength && *contentLength > maxBytes)
        return std::nullopt;
    std::string body;
    const bool complete = readBody([&](const char* data, std::size_t size) {
        if (static_cast<std::int64_t>(body.size() + size) > maxBytes)
            return false;
        body.append(data, size);
        return true;
    });
    if (!complete)
        return std::nullopt;
    return body;
}

void ServerResponse::setJson(int statusCode, const std::string& json) {
    status = statusCode;
    contentType = "application/json";
    body = json;
}

namespace {
// Threads for connections, one each, instead of httplib's fixed pool: a connection
// waiting for its head (a slowloris peer, an idle keep-alive) costs a sleeping thread,
// never one of the `threads` handler slots, so 500 slow sockets starve nobody.
class ConnectionThreads final : public httplib::TaskQueue {
  public:
    void enqueue(std::function<void()> fn) override {
        {
            std::lock_guard lock(m_mutex);
            ++m_live;
        }
        std::thread([this, fn = std::move(fn)] {
            fn();
            std::lock_guard lock(m_mutex);
            --m_live;
            m_idle.notify_all();
        }).detach();
    }
    void shutdown() override {
        std::unique_lock lock(m_mutex);
        m_idle.wait(lock, [this] { return m_live == 0; });
    }

  private:
    std::mutex m_mutex;
    std::condition_variable m_idle;
    std::size_t m_live = 0;
};

// httplib::Server with the per-connection loop replaced. 0.11.4 declares
// process_and_close_socket virtual (SSLServer overrides it) and process_request
// protected: this loop keeps one GuardedStream per connection, so its deadlines and
// caps apply to every read and pipelined bytes survive between requests; httplib still
// parses, routes and writes. A request whose body was not read to its end, or that
// failed, ends the connection. TLS is ours too (httplib's SSLServer has its own loop,
// with a per-recv timeout only): the same loop runs over a TlsTransport.
class GuardedServer final : public httplib::Server {
  public:
    using Slots = std::counting_semaphore<1 << 20>;
    GuardedServer(StreamLimits limits, std::size_t maxConnections, const StopSignal& stop,
                  Slots& slots, std::atomic<std::size_t>& inFlight, const TlsContext* tls)
        : m_limits(limits), m_maxConnections(maxConnections), m_stop(stop), m_slots(slots),
          m_inFlight(inFlight), m_tls(tls) {}

  private:
    bool process_and_close_socket(socket_t sock) override {
        std::unique_ptr<Transport> transport;
        if (m_tls)
            transport = m_tls->wrap(sock);
        else
            transport = std::make_unique<PlainTransport>(sock);
        bool idle = false;
        if (transport) {
            if (m_connections.fetch_add(1) < m_maxConnections && !m_stop.raised())
                idle = serveConnection(sock, *transport);
            m_connections.fetch_sub(1);
            transport->close();
        }
        // An idle connection has no answer in flight to protect and nothing unread: it
        // closes at once, so a request racing the close is reset — a failed send the
        // client knows to retry. Lingering read that request whole and then ended the
        // connection without an answer ("chunk at 0: Read" in bench/README.md, #13).
        if (idle)
            httplib::detail::close_socket(sock);
        else
            closeLingering(sock);
        return true;
    }

    // Every connection, plain or TLS, is served here: httplib's own keep-alive, write
    // timeout and NODELAY settings never apply (StreamLimits holds ours). True when it
    // ended waiting for a next request that never began.
    bool serveConnection(socket_t sock, Transport& transport) {
        // Without NODELAY the small 200 after each chunk waits on delayed ACKs (measured:
        // it halves the time of sequential 8 MiB PUTs).
        const int on = 1;
        ::setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        GuardedStream stream(sock, transport, m_limits, m_stop);
        // The TLS handshake gets a head deadline of its own, before the first request's.
        stream.beginRequest();
        if (!stream.handshake())
            return false;
        for (;;) {
            stream.beginRequest();
            RequestState state;
            state.stream = &stream;
            t_state = &state;
            bool closed = false;
            const bool answered = process_request(stream, false, closed, nullptr);
            t_state = nullptr;
            if (state.holdsSlot) {
                --m_inFlight;
                m_slots.release();
            }
            if (!answered || closed || state.close || !state.reusable || m_stop.raised())
                return !answered && stream.idle();
        }
    }

    // Closing a socket with unread bytes makes the kernel send a reset, which can
    // destroy an early answer before the client read it (a client still sending the
    // body it was refused). Our side is shut first, and what the client still sends is
    // read and discarded for a moment — bounded in time, never kept.
    void closeLingering(socket_t sock) const {
        ::shutdown(sock, SHUT_WR);
        const auto until = Clock::now() + std::chrono::seconds(1);
        char discard[16 * 1024];
        while (!m_stop.raised() && Clock::now() < until) {
            pollfd fd{sock, POLLIN, 0};
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now());
            if (::poll(&fd, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0))) <= 0 ||
                ::recv(sock, discard, sizeof discard, 0) <= 0)
                break;
        }
        httplib::detail::close_socket(sock);
    }

    StreamLimits m_limits;
    std::size_t m_maxConnections;
    const StopSignal& m_stop;
    Slots& m_slots;
    std::atomic<std::size_t>& m_inFlight;
    const TlsContext* m_tls;
    std::atomic<std::size_t> m_connections{0};
};

struct Route {
    std::string method;
    std::regex pattern;
    Admission admission;
    std::int64_t maxBodyBytes = 0;
};
} // namespace

struct HttpServer::Impl {
    HttpServerOptions options;
    StopSignal stop;
    std::unique_ptr<GuardedServer::Slots> slots;
    std::atomic<std::size_t> inFlight{0};
    std::unique_ptr<TlsContext> tls;
    std::string tlsError;
    std::unique_ptr<httplib::Server> server;
    std::vector<Route> routes;
    std::int64_t largestBody = 0; // of any route: httplib's payload limit
    std::function<void(const RequestLogEntry&)> logger;
    std::function<void(const std::string&)> errorReporter;
    std::function<void(Refusal, ServerResponse&)> renderer;
    socket_t listenSocket = INVALID_SOCKET;

    void refuse(Refusal refusal, httplib::Response& res) const;
    // Runs before "100 Continue" and before routing: nothing of the body is read yet.
    bool admit(const httplib::Request& req, httplib::Response& res);
    std::optional<Refusal> framingRefusal(const httplib::Request& req) const;
};

void HttpServer::Impl::refuse(Refusal refusal, httplib::Response& res) const {
    ServerResponse response;
    response.status = 400;
    if (renderer)
        renderer(refusal, response);
    res.body.clear();
    apply(response, res);
    if (t_state)
        t_state->close = true;
}

std::optional<Refusal> HttpServer::Impl::framingRefusal(const httplib::Request& req) const {
    // Two framings (or two lengths) are read differently by a proxy and by us: the
    // classic request smuggling. Two Authorization headers: which one wins is a guess.
    if (req.get_header_value_count("Content-Length") > 1 ||
        req.get_header_value_count("Transfer-Encoding") > 1 ||
        req.get_header_value_count("Authorization") > 1 ||
        (req.has_header("Content-Length") && req.has_header("Transfer-Encoding")))
        return Refusal::BadRequest;
    if (req.has_header("Transfer-Encoding") &&
        lower(req.get_header_value("Transfer-Encoding")) != "chunked")
        return Refusal::BadRequest;
    if (req.has_header("Content-Length")) {
        const std::string text = req.get_header_value("Content-Length");
        if (text.empty() || text.size() > 18 ||
            !std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); }))
            return Refusal::BadRequest;
    }
    // httplib would inflate a compressed body whole, in memory: a 1 MiB gzip bomb.
    if (req.has_header("Content-Encoding") &&
        lower(req.get_header_value("Content-Encoding")) != "identity")
        return Refusal::UnsupportedMediaType;
    return std::nullopt;
}

bool HttpServer::Impl::admit(const httplib::Request& req, httplib::Response& res) {
    // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112
    // section 6.3; tus clients create uploads so), but httplib 0.11 would read one
    // until the peer closes: say so explicitly. The request is httplib's own, not const.
    if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding"))
        const_cast<httplib::Request&>(req).set_header("Content-Length", "0");
    if (t_state && t_state->admitted)
        return true;
    if (const auto refusal = framingRefusal(req)) {
        refuse(*refusal, res);
        return false;
    }
    // Routing on the raw path: httplib decodes %2F into '/' before it routes, which
    // would let an id carry a path separator into another route.
    const std::string path = req.target.substr(0, req.target.find('?'));
    if (lower(path).find("%2f") != std::string::npos) {
        refuse(Refusal::NotFound, res);
        return false;
    }
    const std::string method = req.method == "HEAD" ? "GET" : req.method;
    const Route* found = nullptr;
    bool otherMethod = false;
    std::smatch match;
    for (const auto& route : routes) {
        if (!std::regex_match(path, match, route.pattern))
            continue;
        if (route.method == method) {
            found = &route;
            break;
        }
        otherMethod = true;
    }
    // Unknown routes are refused here, before httplib would read their body into memory.
    if (!found) {
        refuse(otherMethod ? Refusal::MethodNotAllowed : Refusal::NotFound, res);
        return false;
    }
    if ((method == "GET" || method == "OPTIONS") && hasBody(req)) {
        refuse(Refusal::BadRequest, res);
        return false;
    }
    // httplib's own limit is the largest of any route's, so each route's is ours to check.
    if (const auto length = translate(req).contentLength; length && *length > found->maxBodyBytes) {
        refuse(Refusal::PayloadTooLarge, res);
        return false;
    }
    if (found->admission) {
        ServerRequest request = translate(req);
        for (std::size_t i = 1; i < match.size(); ++i)
            request.pathParams.push_back(match[i].str());
        request.readBody = [](const ByteSink&) { return false; };
        ServerResponse response;
        if (!found->admission(request, response)) {
            apply(response, res);
            if (t_state)
                t_state->close = true;
            return false;
        }
    }
    if (t_state) {
        t_state->admitted = true;
        slots->acquire();
        ++inFlight;
        t_state->holdsSlot = true;
        t_state->stream->startBodyClock();
    }
    return true;
}

HttpServer::HttpServer(HttpServerOptions options) : m_impl(std::make_unique<Impl>()) {
    m_impl->options = std::move(options);
    auto& o = m_impl->options;
    m_impl->slots = std::make_unique<GuardedServer::Slots>(
        static_cast<std::ptrdiff_t>(std::max<std::size_t>(o.threads, 1)));
    if (!o.tlsCertFile.empty()) {
        auto tls = TlsContext::load(o.tlsCertFile, o.tlsKeyFile);
        if (tls)
            m_impl->tls = std::move(*tls);
        else
            m_impl->tlsError = tls.error();
    }
    StreamLimits limits;
    limits.headerTimeout = o.headerTimeout;
    limits.bodyTimeout = o.bodyTimeout;
    limits.bodyMinRate = o.bodyMinRate;
    limits.bodyRateWindow = o.bodyRateWindow;
    limits.bodyStall = o.bodyStall;
    limits.writeTimeout = o.writeTimeout;
    limits.shutdownGrace = o.shutdownGrace;
    auto guarded =
        std::make_unique<GuardedServer>(limits, o.maxConnections, m_impl->stop, *m_impl->slots,
                                        m_impl->inFlight, m_impl->tls.get());
    guarded->new_task_queue = [] { return new ConnectionThreads; };
    m_impl->server = std::move(guarded);
    auto& server = *m_impl->server;
    server.set_payload_max_length(static_cast<std::size_t>(o.maxPayloadBytes));
    // The Keep-Alive header httplib writes advertised its own 5 s: clients that honour it
    // must learn the idle deadline GuardedStream really keeps.
    server.set_keep_alive_timeout(std::max<time_t>(
        1, std::chrono::duration_cast<std::chrono::seconds>(o.headerTimeout).count()));
    // cpp-httplib 0.11.4 listens with a backlog of 5. When 200 clients connect at once
    // the accept queue overflows and the kernel drops their handshakes; they are
    // retransmitted seconds later, and 116 of 200 benchmark uploads failed at init
    // (bench/README.md). bind() widens the backlog on the socket remembered here.
    // httplib's default options add SO_REUSEPORT, with which a second hoistd started on
    // the same port (a unit file and a manual start) listened beside the first and
    // the kernel shared the clients between two servers with different sessions:
    // SO_REUSEADDR alone restarts over old connections but refuses a second listener.
    server.set_socket_options([impl = m_impl.get()](socket_t sock) {
        const int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
        impl->listenSocket = sock;
    });
    // A refused "Expect: 100-continue" request gets its refusal instead of the 100, so
    // an unauthenticated client never sends its body.
    server.set_expect_100_continue_handler(
        [impl = m_impl.get()](const httplib::Request& req, httplib::Response& res) {
            return impl->admit(req, res) ? 100 : res.status;
        });
    server.set_pre_routing_handler(
        [impl = m_impl.get()](const httplib::Request& req, httplib::Response& res) {
            if (t_state)
                t_state->start = std::chrono::steady_clock::now();
            return impl->admit(req, res) ? httplib::Server::HandlerResponse::Unhandled
                                         : httplib::Server::HandlerResponse::Handled;
        });
    // Runs for every answer, just before its head is written.
    server.set_post_routing_handler([](const httplib::Request&, httplib::Response& res) {
        if (t_state && (t_state->close || !t_state->reusable)) {
            t_state->close = true;
            res.headers.erase("Keep-Alive");
            res.headers.erase("Connection");
            res.set_header("Connection", "close");
        }
    });
    server.set_logger(
        [impl = m_impl.get()](const httplib::Request& req, const httplib::Response& res) {
            if (!impl->logger)
                return;
            RequestLogEntry entry;
            entry.method = req.method;
            entry.path = req.path;
            entry.status = res.status;
            entry.bytesIn = headerNumber(req.headers, "Content-Length");
            entry.bytesOut = headerNumber(res.headers, "Content-Length");
            if (t_state && t_state->start.time_since_epoch().count() != 0)
                entry.milliseconds = std::chrono::duration<double, std::milli>(
                                         std::chrono::steady_clock::now() - t_state->start)
                                         .count();
            entry.remoteAddress = req.remote_addr;
            impl->logger(entry);
        });
    // Answers httplib produced itself (unparsable request, payload over the limit, a
    // head cut short by a cap or a deadline) are refusals like ours.
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [impl = m_impl.get()](const httplib::Request&, httplib::Response& res) {
            if (t_state && t_state->stream) {
                switch (t_state->stream->failure()) {
                case GuardedStream::Failure::HeadTooLarge:
                    res.status = 431;
                    break;
                case GuardedStream::Failure::HeadTimeout:
                    res.status = 408;
                    break;
                default:
                    break;
                }
            }
            if (!res.body.empty() || res.content_length_ > 0)
                return httplib::Server::HandlerResponse::Unhandled;
            const Refusal refusal = res.status == 404   ? Refusal::NotFound
                                    : res.status == 408 ? Refusal::RequestTimeout
                                    : res.status == 413 ? Refusal::PayloadTooLarge
                                    : res.status == 414 ? Refusal::UriTooLong
                                    : res.status == 416 ? Refusal::RangeNotSatisfiable
                                    : res.status == 431 ? Refusal::HeaderFieldsTooLarge
                                                        : Refusal::BadRequest;
            impl->refuse(refusal, res);
            return httplib::Server::HandlerResponse::Handled;
        }));
    server.set_exception_handler([impl = m_impl.get()](const httplib::Request& req,
                                                       httplib::Response& res,
                                                       std::exception_ptr error) {
        std::string what = "unknown exception";
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        if (impl->errorReporter)
            impl->errorReporter(req.method + " " + req.path + ": " + what);
        impl->refuse(Refusal::Internal, res);
    });
}

HttpServer::~HttpServer() = default;

void HttpServer::route(const std::string& method, const std::string& pattern, HttpHandler handler,
                       Admission admission, std::int64_t maxBodyBytes) {
    const std::int64_t limit = maxBodyBytes > 0 ? maxBodyBytes : m_impl->options.maxPayloadBytes;
    m_impl->routes.push_back(Route{method, std::regex(pattern), std::move(admission), limit});
    auto& server = *m_impl->server;
    m_impl->largestBody = std::max(m_impl->largestBody, limit);
    server.set_payload_max_length(static_cast<std::size_t>(m_impl->largestBody));
    if (method == "GET" || method == "OPTIONS") {
        const auto bodiless = [handler](const httplib::Request& req, httplib::Response& res) {
            // Range is ours to interpret: clear httplib's parsed ranges so it never
            // slices a body a handler already cut to the requested range.
            const_cast<httplib::Request&>(req).ranges.clear();
            ServerRequest request = translate(req);
            // The gate refused any GET or OPTIONS with a body: nothing is left on the socket.
            request.readBody = [](const ByteSink&) { return true; };
            if (t_state)
                t_state->reusable = true;
            ServerResponse response;
            handler(request, response);
            apply(response, res);
        };
        if (method == "GET")
            server.Get(pattern, bodiless);
        else
            server.Options(pattern, bodiless);
        return;
    }
    auto streaming = [handler](const httplib::Request& req, httplib::Response& res,
                               const httplib::ContentReader& reader) {
        ServerRequest request = translate(req);
        bool consumed = false;
        bool complete = !hasBody(req);
        request.readBody = [&](const ByteSink& sink) {
            if (consumed)
                return false;
            consumed = true;
            // The gate refused a Content-Length beside Transfer-Encoding: one of the two.
            if (request.contentLength && t_state)
                complete = receiveKnownLength(*t_state->stream, *request.contentLength, sink);
            else
                complete =
                    reader([&](const char* data, std::size_t size) { return sink(data, size); });
            return complete;
        };
        ServerResponse response;
        handler(request, response);
        // A handler that answered without reading the body to its end (auth, 409,
        // 423, a body cut short...) leaves bytes on the socket that must never be
        // taken for a request: the connection closes after this answer.
        if (t_state)
            t_state->reusable = complete;
        apply(response, res);
    };
    if (method == "PUT")
        server.Put(pattern, streaming);
    else if (method == "POST")
        server.Post(pattern, streaming);
    else if (method == "PATCH")
        server.Patch(pattern, streaming);
    else if (method == "DELETE")
        server.Delete(pattern, streaming);
}

void HttpServer::setRefusalRenderer(std::function<void(Refusal, ServerResponse&)> renderer) {
    m_impl->renderer = std::move(renderer);
}

void HttpServer::setRequestLogger(std::function<void(const RequestLogEntry&)> logger) {
    m_impl->logger = std::move(logger);
}

void HttpServer::setErrorReporter(std::function<void(const std::string&)> reporter) {
    m_impl->errorReporter = std::move(reporter);
}

tl::expected<int, std::string> HttpServer::bind() {
    auto& server = *m_impl->server;
    const auto& o = m_impl->options;
    if (!m_impl->tlsError.empty())
        return tl::unexpected(m_impl->tlsError);
    int port = o.port;
    if (port == 0) {
        port = server.bind_to_any_port(o.host);
        if (port <= 0)
            return tl::unexpected("cannot listen on " + o.host + ": no free port");
    } else if (!server.bind_to_port(o.host, o.port)) {
        return tl::unexpected("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                              " (address in use or not available)");
    }
    // Listening again on a listening socket only changes its backlog (Linux, BSD).
    ::listen(m_impl->listenSocket, SOMAXCONN);
    return port;
}

bool HttpServer::tls() const {
    return !m_impl->options.tlsCertFile.empty();
}

void HttpServer::serve() {
    m_impl->server->listen_after_bind();
}

void HttpServer::stop() {
    stop(m_impl->options.shutdownGrace);
}

void HttpServer::stop(std::chrono::milliseconds grace) {
    m_impl->stop.raise(grace);
    m_impl->server->stop();
}

std::size_t HttpServer::requestsInFlight() const {
    return m_impl->inFlight;
}

} // namespace hoist
