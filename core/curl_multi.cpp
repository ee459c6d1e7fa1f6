#include "curl_multi.h"

#include "cancel_token.h"

#include <QSocketNotifier>
#include <QSslCertificate>

#include <curl/curl.h>

#include <coroutine>
#include <utility>

namespace hoist {

namespace {

using Kind = ProtocolError::Kind;
using Clock = std::chrono::steady_clock;

ProtocolError failure(Kind kind, QString message) {
    ProtocolError error;
    error.kind = kind;
    error.message = std::move(message);
    return error;
}

CURLM* multiOf(void* handle) {
    return static_cast<CURLM*>(handle);
}

} // namespace

// One exchange in flight; it lives in the frame of CurlMulti::send.
struct CurlTransfer {
    CurlTransfer() = default;
    CurlTransfer(const CurlTransfer&) = delete;
    CurlTransfer& operator=(const CurlTransfer&) = delete;
    ~CurlTransfer() {
        curl_easy_cleanup(easy);
        curl_slist_free_all(headers);
    }

    CURL* easy = curl_easy_init();
    QByteArray body; // curl reads the body from here
    curl_slist* headers = nullptr;
    QByteArray answerBody;
    char errorText[CURL_ERROR_SIZE] = {};
    Result<HttpTransport::Reply> outcome;
    std::coroutine_handle<> waiter;
    // The idle timeout: bytes moved (either way) when last counted, and when they did.
    QTimer idle;
    curl_off_t moved = 0;
    Clock::time_point lastMoved = Clock::now();
};

// curl's callbacks, with the types curl calls them with.
struct CurlCallbacks {
    static int watchSocket(CURL*, curl_socket_t socket, int what, void* self, void*) {
        static_cast<CurlMulti*>(self)->watch(socket, what);
        return 0;
    }
    static int scheduleTimer(CURLM*, long timeoutMs, void* self) {
        QTimer& timer = static_cast<CurlMulti*>(self)->m_timer;
        if (timeoutMs < 0)
            timer.stop();
        else
            timer.start(static_cast<int>(timeoutMs));
        return 0;
    }
    static size_t appendAnswer(char* data, size_t size, size_t count, void* transfer) {
        static_cast<CurlTransfer*>(transfer)->answerBody.append(
            data, static_cast<qsizetype>(size * count));
        return size * count;
    }
    static int countMoved(void* transfer, curl_off_t, curl_off_t downloaded, curl_off_t,
                          curl_off_t uploaded) {
        auto* t = static_cast<CurlTransfer*>(transfer);
        if (downloaded + uploaded != t->moved) {
            t->moved = downloaded + uploaded;
            t->lastMoved = Clock::now();
        }
        return 0;
    }
};

namespace {

// Resumes a finished exchange's coroutine.
struct Finished {
    CurlTransfer* transfer;
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> waiter) noexcept { transfer->waiter = waiter; }
    void await_resume() const noexcept {}
};

void resume(CurlTransfer* transfer) {
    std::exchange(transfer->waiter, {}).resume();
}

HttpTransport::Reply answerOf(CurlTransfer& transfer) {
    HttpTransport::Reply reply;
    long status = 0;
    curl_easy_getinfo(transfer.easy, CURLINFO_RESPONSE_CODE, &status);
    reply.status = static_cast<int>(status);
    curl_header* header = nullptr;
    while ((header = curl_easy_nextheader(transfer.easy, CURLH_HEADER, -1, header)))
        reply.headers.append({QByteArray(header->name), QByteArray(header->value)});
    reply.body = std::move(transfer.answerBody);
    return reply;
}

Result<HttpTransport::Reply> outcomeOf(CurlTransfer& transfer, CURLcode code) {
    if (code == CURLE_OK)
        return answerOf(transfer);
    const QString text = transfer.errorText[0] ? QString::fromUtf8(transfer.errorText)
                                               : QString::fromUtf8(curl_easy_strerror(code));
    return tl::make_unexpected(failure(Kind::Network, text));
}

QByteArray pemOf(const QSslConfiguration& trust) {
    QByteArray pem;
    for (const QSslCertificate& certificate : trust.caCertificates())
        pem += certificate.toPem();
    return pem;
}

// curl_global_init is not thread-safe in every libcurl; a function-local static runs it
// once. No curl_global_cleanup: other threads' curl handles may outlive any owner here.
void initialiseCurl() {
    [[maybe_unused]] static const CURLcode initialised = curl_global_init(CURL_GLOBAL_DEFAULT);
}

} // namespace

CurlMulti::CurlMulti(const QSslConfiguration& trust, std::chrono::milliseconds idleTimeout)
    : m_trustedPem(pemOf(trust)), m_idleTimeout(idleTimeout) {
    initialiseCurl();
    m_multi = curl_multi_init();
    curl_multi_setopt(multiOf(m_multi), CURLMOPT_SOCKETFUNCTION, &CurlCallbacks::watchSocket);
    curl_multi_setopt(multiOf(m_multi), CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multiOf(m_multi), CURLMOPT_TIMERFUNCTION, &CurlCallbacks::scheduleTimer);
    curl_multi_setopt(multiOf(m_multi), CURLMOPT_TIMERDATA, this);
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { act(CURL_SOCKET_TIMEOUT, 0); });
}

CurlMulti::~CurlMulti() {
    const QList<CurlTransfer*> pending = std::exchange(m_pending, {});
    for (CurlTransfer* transfer : pending) {
        curl_multi_remove_handle(multiOf(m_multi), transfer->easy);
        transfer->outcome =
            tl::make_unexpected(failure(Kind::Cancelled, QStringLiteral("the transport closed")));
    }
    curl_multi_cleanup(multiOf(m_multi));
    for (CurlTransfer* transfer : pending)
        resume(transfer);
}

QCoro::Task<Result<HttpTransport::Reply>>
CurlMulti::send(QByteArray verb, QUrl url, QByteArray body, Headers headers, CancelToken* cancel) {
    if (cancel && cancel->isCancelled())
        co_return tl::make_unexpected(failure(Kind::Cancelled, QStringLiteral("cancelled")));
    CurlTransfer transfer;
    if (!m_multi || !transfer.easy)
        co_return tl::make_unexpected(
            failure(Kind::Network, QStringLiteral("libcurl could not start a transfer")));
    transfer.body = std::move(body);
    bool typed = false;
    for (const auto& [name, value] : headers) {
        typed = typed || name.compare("Content-Type", Qt::CaseInsensitive) == 0;
        transfer.headers = curl_slist_append(transfer.headers, (name + ": " + value).constData());
    }
    // No Expect: 100-continue (a round trip per chunk), and no form type curl would
    // give a body that has none.
    transfer.headers = curl_slist_append(transfer.headers, "Expect:");
    if (!typed)
        transfer.headers = curl_slist_append(transfer.headers, "Content-Type:");

    CURL* easy = transfer.easy;
    curl_easy_setopt(easy, CURLOPT_PRIVATE, &transfer);
    curl_easy_setopt(easy, CURLOPT_URL, url.toEncoded().constData());
    curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(easy, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    // The same route as the engine's other requests: QNetworkAccessManager takes no
    // proxy from the environment, so neither does this.
    curl_easy_setopt(easy, CURLOPT_PROXY, "");
    curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, verb.constData());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDS, transfer.body.constData());
    curl_easy_setopt(easy, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(transfer.body.size()));
    curl_easy_setopt(easy, CURLOPT_HTTPHEADER, transfer.headers);
    curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, &CurlCallbacks::appendAnswer);
    curl_easy_setopt(easy, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(easy, CURLOPT_XFERINFOFUNCTION, &CurlCallbacks::countMoved);
    curl_easy_setopt(easy, CURLOPT_XFERINFODATA, &transfer);
    curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer.errorText);
    if (!m_trustedPem.isEmpty()) {
        // Only these, as Qt trusts only the configuration's certificates once it has
        // any. The blob lives in this object, which no transfer outlives.
        curl_blob trusted{m_trustedPem.data(), static_cast<size_t>(m_trustedPem.size()),
                          CURL_BLOB_NOCOPY};
        curl_easy_setopt(easy, CURLOPT_CAINFO_BLOB, &trusted);
        curl_easy_setopt(easy, CURLOPT_CAINFO, static_cast<const char*>(nullptr));
        curl_easy_setopt(easy, CURLOPT_CAPATH, static_cast<const char*>(nullptr));
    }

    if (cancel)
        connect(cancel, &CancelToken::cancelled, &transfer.idle, [this, t = &transfer] {
            abandon(t, failure(Kind::Cancelled, QStringLiteral("cancelled")));
        });
    if (m_idleTimeout.count() > 0) {
        transfer.idle.setSingleShot(true);
        connect(&transfer.idle, &QTimer::timeout, this, [this, t = &transfer] { checkIdle(t); });
        transfer.idle.start(m_idleTimeout);
    }
    m_pending.append(&transfer);
    if (const CURLMcode added = curl_multi_add_handle(multiOf(m_multi), easy); added != CURLM_OK) {
        m_pending.removeOne(&transfer);
        co_return tl::make_unexpected(
            failure(Kind::Network, QString::fromUtf8(curl_multi_strerror(added))));
    }
    co_await Finished{&transfer};
    // From here on, `this` may be gone: only the transfer.
    co_return std::move(transfer.outcome);
}

void CurlMulti::watch(qintptr socket, int what) {
    if (what == CURL_POLL_REMOVE) {
        const Watch watch = m_watches.take(socket);
        for (QSocketNotifier* notifier : {watch.read, watch.write}) {
            if (!notifier)
                continue;
            // curl closes the socket next; another may get its number before this
            // notifier is deleted.
            notifier->setEnabled(false);
            notifier->deleteLater();
        }
        return;
    }
    Watch& watch = m_watches[socket];
    if (!watch.read) {
        watch.read = new QSocketNotifier(socket, QSocketNotifier::Read, this);
        connect(watch.read, &QSocketNotifier::activated, this,
                [this, socket] { act(socket, CURL_CSELECT_IN); });
        watch.write = new QSocketNotifier(socket, QSocketNotifier::Write, this);
        connect(watch.write, &QSocketNotifier::activated, this,
                [this, socket] { act(socket, CURL_CSELECT_OUT); });
    }
    watch.read->setEnabled(what & CURL_POLL_IN);
    watch.write->setEnabled(what & CURL_POLL_OUT);
}

void CurlMulti::act(qintptr socket, int events) {
    int running = 0;
    curl_multi_socket_action(multiOf(m_multi), static_cast<curl_socket_t>(socket), events,
                             &running);
    finishDone();
}

void CurlMulti::finishDone() {
    QList<CurlTransfer*> done;
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multiOf(m_multi), &queued)) {
        if (message->msg != CURLMSG_DONE)
            continue;
        CurlTransfer* transfer = nullptr;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
        transfer->outcome = outcomeOf(*transfer, message->data.result);
        done.append(transfer);
    }
    for (CurlTransfer* transfer : done) {
        m_pending.removeOne(transfer);
        curl_multi_remove_handle(multiOf(m_multi), transfer->easy);
    }
    // A resumed exchange may end this object: only locals from here on.
    for (CurlTransfer* transfer : done)
        resume(transfer);
}

void CurlMulti::abandon(CurlTransfer* transfer, ProtocolError error) {
    if (!m_pending.removeOne(transfer))
        return;
    // Mid-body, curl closes the connection: nothing else could follow on it.
    curl_multi_remove_handle(multiOf(m_multi), transfer->easy);
    transfer->outcome = tl::make_unexpected(std::move(error));
    resume(transfer);
}

void CurlMulti::checkIdle(CurlTransfer* transfer) {
    const auto idle =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - transfer->lastMoved);
    if (idle < m_idleTimeout) {
        transfer->idle.start(m_idleTimeout - idle);
        return;
    }
    abandon(transfer,
            failure(Kind::Timeout,
                    QStringLiteral("no byte moved for %1 ms").arg(m_idleTimeout.count())));
}

} // namespace hoist
