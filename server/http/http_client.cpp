#include "http_client.h"

#include <httplib.h>

#include <algorithm>
#include <condition_variable>
#include <strings.h>
#include <thread>

namespace hoist {
namespace {

// A hostile or confused server must not make an error body grow without bound.
constexpr std::size_t kMaxErrorBody = 1 << 20;

struct SplitUrl {
    std::string origin; // scheme://host[:port]
    std::string target; // /path?query
};

std::optional<SplitUrl> splitUrl(const std::string& url) {
    const auto schemeEnd = url.find("://");
    if (schemeEnd == std::string::npos) {
        return std::nullopt;
    }
    const std::string scheme = url.substr(0, schemeEnd);
    if (scheme != "http" && scheme != "https") {
        return std::nullopt;
    }
    const auto pathStart = url.find_first_of("/?", schemeEnd + 3);
    if (pathStart == schemeEnd + 3) {
        return std::nullopt;
    }
    if (pathStart == std::string::npos) {
        return SplitUrl{url, "/"};
    }
    // A bare query gets the root path in front. Built by appending: prepending a literal
    // to a temporary (operator+(const char*, string&&)) trips g++ 12's false -Wrestrict
    // at -O3, which -Werror turns into a failed Release build.
    std::string target = url[pathStart] == '?' ? "/" : "";
    target.append(url, pathStart);
    return SplitUrl{url.substr(0, pathStart), std::move(target)};
}

HttpTransportError transportError(httplib::Error error) {
    using Kind = HttpTransportError::Kind;
    Kind kind = Kind::Io;
    switch (error) {
    case httplib::Error::Connection:
    case httplib::Error::BindIPAddress:
        kind = Kind::Connect;
        break;
    case httplib::Error::ConnectionTimeout:
        kind = Kind::Timeout;
        break;
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
        kind = Kind::Tls;
        break;
    case httplib::Error::Canceled:
        kind = Kind::Canceled;
        break;
    default:
        break;
    }
    return {kind, httplib::to_string(error)};
}

bool isSuccess(int status) {
    return status >= 200 && status < 300;
}

// Shuts the connection of `client` down when an exchange outlives its deadline: httplib's
// timeouts bound each recv/send only, so a peer trickling a byte at a time would hold
// the request forever. Client::stop() is the one call httplib allows from another thread.
class Deadline final {
  public:
    Deadline(httplib::Client& client, std::chrono::milliseconds limit) {
        if (limit.count() > 0)
            m_watch = std::thread([this, &client, limit] {
                std::unique_lock lock(m_mutex);
                if (!m_done.wait_for(lock, limit, [this] { return m_finished; })) {
                    m_expired = true;
                    client.stop();
                }
            });
    }
    ~Deadline() { finish(); }
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;

    // True when the deadline passed before the exchange ended.
    bool finish() {
        if (m_watch.joinable()) {
            {
                std::lock_guard lock(m_mutex);
                m_finished = true;
            }
            m_done.notify_one();
            m_watch.join();
        }
        return m_expired;
    }

  private:
    std::mutex m_mutex;
    std::condition_variable m_done;
    bool m_finished = false;
    bool m_expired = false;
    std::thread m_watch;
};

} // namespace

std::optional<std::string> HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (key.size() == name.size() && strncasecmp(key.data(), name.data(), name.size()) == 0) {
            return value;
        }
    }
    return std::nullopt;
}

HttpClient::HttpClient(HttpClientOptions options) : m_options(std::move(options)) {}

HttpClient::~HttpClient() = default;

std::unique_ptr<httplib::Client> HttpClient::borrow(const std::string& origin) {
    {
        std::lock_guard lock(m_mutex);
        auto& idle = m_idle[origin];
        if (!idle.empty()) {
            auto client = std::move(idle.back());
            idle.pop_back();
            return client;
        }
    }
    auto client = std::make_unique<httplib::Client>(origin);
    client->set_keep_alive(true);
    client->set_connection_timeout(m_options.connectTimeout);
    if (!m_options.caFile.empty()) {
        client->set_ca_cert_path(m_options.caFile);
    }
    return client;
}

void HttpClient::giveBack(const std::string& origin, std::unique_ptr<httplib::Client> client) {
    std::lock_guard lock(m_mutex);
    auto& idle = m_idle[origin];
    if (idle.size() < m_options.maxIdlePerOrigin) {
        idle.push_back(std::move(client));
    }
}

tl::expected<HttpResponse, HttpTransportError> HttpClient::request(const HttpRequest& request,
                                                                   const BodySink& sink) {
    const auto split = splitUrl(request.url);
    if (!split) {
        return tl::unexpected(HttpTransportError{HttpTransportError::Kind::InvalidUrl,
                                                 "not an http(s) URL: " + request.url});
    }
    auto client = borrow(split->origin);
    if (!client->is_valid()) {
        return tl::unexpected(HttpTransportError{HttpTransportError::Kind::InvalidUrl,
                                                 "cannot use " + split->origin});
    }
    const auto timeout = request.timeout.count() > 0 ? request.timeout : m_options.ioTimeout;
    client->set_read_timeout(timeout);
    client->set_write_timeout(timeout);

    httplib::Request req;
    req.method = request.method;
    req.path = split->target;
    for (const auto& [name, value] : request.headers) {
        req.headers.emplace(name, value);
    }
    // A content provider instead of req.body: httplib would copy a body given as bytes,
    // and a chunk must be in memory once only.
    if (request.bodyProvider) {
        req.content_length_ = static_cast<std::size_t>(request.bodyLength);
        req.content_provider_ = [&request](std::size_t offset, std::size_t,
                                           httplib::DataSink& out) {
            return request.bodyProvider(static_cast<std::int64_t>(offset),
                                        [&out](std::span<const char> bytes) {
                                            return out.write(bytes.data(), bytes.size());
                                        });
        };
    } else if (!request.body.empty()) {
        req.content_length_ = request.body.size();
        req.content_provider_ = [&request](std::size_t offset, std::size_t length,
                                           httplib::DataSink& out) {
            return out.write(request.body.data() + offset, length);
        };
    }

    int status = 0;
    bool sinkStopped = false;
    std::string body;
    req.response_handler = [&status](const httplib::Response& res) {
        status = res.status;
        return true;
    };
    req.content_receiver = [&](const char* data, std::size_t length, std::uint64_t, std::uint64_t) {
        if (sink && isSuccess(status)) {
            if (!sink(std::span<const char>(data, length))) {
                sinkStopped = true;
                return false;
            }
            return true;
        }
        if (!isSuccess(status) && body.size() + length > kMaxErrorBody) {
            return true;
        }
        body.append(data, length);
        return true;
    };

    httplib::Response res;
    httplib::Error error = httplib::Error::Success;
    Deadline deadline(*client, request.deadline);
    const bool sent = client->send(req, res, error);
    if (deadline.finish()) {
        return tl::unexpected(HttpTransportError{
            HttpTransportError::Kind::Timeout,
            "no complete answer within " + std::to_string(request.deadline.count()) + " ms"});
    }
    if (!sent && !sinkStopped) {
        return tl::unexpected(transportError(error));
    }

    HttpResponse response;
    response.status = res.status;
    response.body = std::move(body);
    response.headers.reserve(res.headers.size());
    for (const auto& [name, value] : res.headers) {
        response.headers.emplace_back(name, value);
    }
    // A transfer stopped half-way leaves the connection mid-body: never reuse it.
    if (sent) {
        giveBack(split->origin, std::move(client));
    }
    return response;
}

} // namespace hoist
