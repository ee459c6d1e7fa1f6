// CurlMulti, the sender of chunk bodies, against a real hoistd: a chunk gets the
// server's answer and headers, a refusal is an answer, and the transport's own failures
// have their kinds: a cancelled body, a cut connection, a killed server, a stalled one
// (Timeout), and https trusted only through the configured CA.

#include "hoistd_process.h"
#include "tcp_proxy.h"
#include "test_certificate.h"

#include "cancel_token.h"
#include "curl_multi.h"
#include "http_protocol_client.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QTest>

#include <QCoroTask>

#include <memory>
#include <optional>

using namespace hoist;
using namespace std::chrono_literals;

namespace {

constexpr qint64 kMiB = 1024 * 1024;
using Reply = HttpTransport::Reply;

// An exchange the test can act on while it is pending.
struct Pending {
    std::optional<Result<Reply>> outcome;
};

QCoro::Task<> run(CurlMulti& multi, QUrl url, QByteArray body, CurlMulti::Headers headers,
                  CancelToken* cancel, std::shared_ptr<Pending> into) {
    into->outcome =
        co_await multi.send("PUT", std::move(url), std::move(body), std::move(headers), cancel);
}

std::shared_ptr<Pending> start(CurlMulti& multi, QUrl url, QByteArray body,
                               CurlMulti::Headers headers, CancelToken* cancel = nullptr) {
    auto pending = std::make_shared<Pending>();
    // Detached on purpose: it settles into `pending`.
    [[maybe_unused]] QCoro::Task<> task =
        run(multi, std::move(url), std::move(body), std::move(headers), cancel, pending);
    return pending;
}

CurlMulti::Headers chunkHeaders(qint64 offset, const QByteArray& token = "tokA") {
    return {{"Authorization", "Bearer " + token},
            {"Content-Type", "application/octet-stream"},
            {"X-Upload-Offset", QByteArray::number(offset)}};
}

QByteArray randomBytes(qint64 size) {
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(bytes.data()),
                                          static_cast<qsizetype>(size / 4));
    return bytes;
}

QUrl sessionUrl(QUrl server, const QString& sessionId) {
    server.setPath(QStringLiteral("/upload/") + sessionId);
    return server;
}

} // namespace

class TestCurlMulti final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void chunkIsAnswered();
    void refusalIsAnAnswer();
    void cancelEndsTheBodyAtOnce();
    void cutConnectionIsANetworkError();
    void killedServerIsANetworkError();
    void stalledServerTimesOut();
    void httpsTrustsOnlyTheConfiguredCa();

  private:
    // A new session of two chunks on m_server; its id.
    QString newSession();
    qint64 uploadedBytes(const QString& sessionId);
    Result<Reply> waitFor(const std::shared_ptr<Pending>& pending);

    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;
    QNetworkAccessManager m_network;
    std::unique_ptr<HttpProtocolClient> m_client;
    qint64 m_chunkSize = 0;
};

void TestCurlMulti::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_server = std::make_unique<HoistdProcess>(m_dir.filePath("hoistd"));
    QVERIFY2(m_server->start(), m_server->stderrOutput().constData());
    m_client = std::make_unique<HttpProtocolClient>(
        m_network, HttpProtocolClient::Options{m_server->url(), QStringLiteral("tokA"), {}, 20s});
}

QString TestCurlMulti::newSession() {
    const auto session =
        QCoro::waitFor(m_client->createSession({QStringLiteral("curl.bin"), 16 * kMiB, {}, {}, 0}));
    if (!session) {
        qWarning("%s", qPrintable(session.error().describe()));
        return {};
    }
    m_chunkSize = session->chunkSize;
    return session->sessionId;
}

qint64 TestCurlMulti::uploadedBytes(const QString& sessionId) {
    const auto status = QCoro::waitFor(m_client->sessionStatus(sessionId));
    return status ? status->uploadedBytes : -1;
}

Result<Reply> TestCurlMulti::waitFor(const std::shared_ptr<Pending>& pending) {
    if (QTest::qWaitFor([&] { return pending->outcome.has_value(); }, 30000))
        return *pending->outcome;
    ProtocolError never;
    never.kind = ProtocolError::Kind::UnexpectedStatus;
    never.message = QStringLiteral("the exchange never settled");
    return tl::make_unexpected(never);
}

void TestCurlMulti::chunkIsAnswered() {
    const QString id = newSession();
    QVERIFY(!id.isEmpty());
    CurlMulti multi({}, 20s);
    // Two chunks in turn: the second on the connection the first left open.
    for (qint64 offset : {qint64(0), m_chunkSize}) {
        const auto reply = waitFor(start(multi, sessionUrl(m_server->url(), id),
                                         randomBytes(m_chunkSize), chunkHeaders(offset)));
        QVERIFY2(reply, qPrintable(reply ? QString() : reply.error().message));
        QCOMPARE(reply->status, 200);
        const QJsonObject json = QJsonDocument::fromJson(reply->body).object();
        QCOMPARE(json.value("uploadedBytes").toInteger(), offset + m_chunkSize);
        QVERIFY(reply->header("content-type").startsWith("application/json"));
    }
    QCOMPARE(uploadedBytes(id), 2 * m_chunkSize);
}

void TestCurlMulti::refusalIsAnAnswer() {
    const QString id = newSession();
    QVERIFY(!id.isEmpty());
    CurlMulti multi({}, 20s);
    const QUrl url = sessionUrl(m_server->url(), id);
    const auto early =
        waitFor(start(multi, url, randomBytes(m_chunkSize), chunkHeaders(m_chunkSize)));
    QVERIFY(early);
    QCOMPARE(early->status, 409);
    QCOMPARE(early->header("X-Upload-Offset"), QByteArray("0"));
    QCOMPARE(QJsonDocument::fromJson(early->body).object().value("error").toString(),
             QStringLiteral("offset_mismatch"));
    const auto stranger =
        waitFor(start(multi, url, randomBytes(m_chunkSize), chunkHeaders(0, "nobody")));
    QVERIFY(stranger);
    QCOMPARE(stranger->status, 401);
    QCOMPARE(uploadedBytes(id), 0);
}

void TestCurlMulti::cancelEndsTheBodyAtOnce() {
    const QString id = newSession();
    QVERIFY(!id.isEmpty());
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    proxy.injectFault(TcpProxy::Fault::Stall, kMiB);
    CurlMulti multi({}, 20s);
    CancelToken cancel;
    const auto pending = start(multi, sessionUrl(proxy.url(), id), randomBytes(m_chunkSize),
                               chunkHeaders(0), &cancel);
    QTRY_COMPARE(proxy.faultsTriggered(), 1);
    QVERIFY(!pending->outcome);
    cancel.cancel();
    // Settled within cancel(): nothing waited for the stalled connection.
    QVERIFY(pending->outcome);
    QVERIFY(!*pending->outcome);
    QCOMPARE(pending->outcome->error().kind, ProtocolError::Kind::Cancelled);
    QCOMPARE(uploadedBytes(id), 0);
}

void TestCurlMulti::cutConnectionIsANetworkError() {
    const QString id = newSession();
    QVERIFY(!id.isEmpty());
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    proxy.injectFault(TcpProxy::Fault::Cut, kMiB);
    CurlMulti multi({}, 20s);
    const auto reply = waitFor(
        start(multi, sessionUrl(proxy.url(), id), randomBytes(m_chunkSize), chunkHeaders(0)));
    QCOMPARE(proxy.faultsTriggered(), 1);
    QVERIFY(!reply);
    QCOMPARE(reply.error().kind, ProtocolError::Kind::Network);
    QVERIFY(!reply.error().message.isEmpty());
    QCOMPARE(uploadedBytes(id), 0);
}

void TestCurlMulti::killedServerIsANetworkError() {
    HoistdProcess server(m_dir.filePath("killed"));
    QVERIFY2(server.start(), server.stderrOutput().constData());
    HttpProtocolClient client(m_network, {server.url(), QStringLiteral("tokA"), {}, 20s});
    const auto session =
        QCoro::waitFor(client.createSession({QStringLiteral("k.bin"), 16 * kMiB, {}, {}, 0}));
    QVERIFY(session);
    TcpProxy proxy(server.port());
    QVERIFY(proxy.listen());
    proxy.injectFault(TcpProxy::Fault::Stall, kMiB);
    CurlMulti multi({}, 20s);
    const auto pending = start(multi, sessionUrl(proxy.url(), session->sessionId),
                               randomBytes(session->chunkSize), chunkHeaders(0));
    QTRY_COMPARE(proxy.faultsTriggered(), 1);
    server.kill9();
    const auto reply = waitFor(pending);
    QVERIFY(!reply);
    QCOMPARE(reply.error().kind, ProtocolError::Kind::Network);
}

void TestCurlMulti::stalledServerTimesOut() {
    const QString id = newSession();
    QVERIFY(!id.isEmpty());
    TcpProxy proxy(m_server->port());
    QVERIFY(proxy.listen());
    proxy.injectFault(TcpProxy::Fault::Stall, kMiB);
    CurlMulti multi({}, 300ms);
    const auto reply = waitFor(
        start(multi, sessionUrl(proxy.url(), id), randomBytes(m_chunkSize), chunkHeaders(0)));
    QVERIFY(!reply);
    QCOMPARE(reply.error().kind, ProtocolError::Kind::Timeout);
    QCOMPARE(uploadedBytes(id), 0);
}

void TestCurlMulti::httpsTrustsOnlyTheConfiguredCa() {
    TestCertificate certificate;
    QVERIFY(makeTestCertificate(m_dir.path(), certificate));
    HoistdProcess server(m_dir.filePath("tls"),
                         {"--tls-cert", certificate.certFile, "--tls-key", certificate.keyFile});
    QVERIFY2(server.start(), server.stderrOutput().constData());
    QCOMPARE(server.url().scheme(), QStringLiteral("https"));
    // No such session: the 404 is the server's answer, so the connection was trusted.
    const QUrl url = sessionUrl(server.url(), QStringLiteral("nosuch"));
    QSslConfiguration trusted = QSslConfiguration::defaultConfiguration();
    trusted.addCaCertificates(QSslCertificate::fromPath(certificate.certFile));
    CurlMulti trusting(trusted, 20s);
    const auto answered = waitFor(start(trusting, url, randomBytes(kMiB), chunkHeaders(0)));
    QVERIFY2(answered, qPrintable(answered ? QString() : answered.error().message));
    QCOMPARE(answered->status, 404);

    CurlMulti system(QSslConfiguration::defaultConfiguration(), 20s);
    const auto refused = waitFor(start(system, url, randomBytes(kMiB), chunkHeaders(0)));
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, ProtocolError::Kind::Network);
}

QTEST_GUILESS_MAIN(TestCurlMulti)
#include "tst_curl_multi.moc"
