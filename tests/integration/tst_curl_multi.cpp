// CurlMulti, the sender of chunk bodies, against a real hoistd: a chunk gets the
// server's answer and headers, a refusal is an answer, and the transport's own failures
// have their kinds: a cancelled body, a cut connection, a stalled one (Timeout), a
// killed server, and https trusted only through the configured CA.

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

// A session of two chunks and a proxy in front of its server that injects a fault
// 1 MiB into the first body.
struct FaultySession {
    QString id;
    std::unique_ptr<TcpProxy> proxy;
    QUrl url() const { return sessionUrl(proxy->url(), id); }
};

class TestCurlMulti final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void chunkIsAnswered();
    void refusalIsAnAnswer();
    void cancelEndsTheBodyAtOnce();
    void faultEndsTheExchange_data();
    void faultEndsTheExchange();
    void killedServerIsANetworkError();
    void httpsTrustsOnlyTheConfiguredCa();

  private:
    // A new session of two chunks on `server`; its id (empty on failure).
    QString newSession(const HoistdProcess& server);
    FaultySession behindFault(const HoistdProcess& server, TcpProxy::Fault fault);
    qint64 uploadedBytes(const QString& sessionId);
    Result<Reply> waitFor(const std::shared_ptr<Pending>& pending);

    QTemporaryDir m_dir;
    std::unique_ptr<HoistdProcess> m_server;
    QNetworkAccessManager m_network;
    qint64 m_chunkSize = 0;
};

void TestCurlMulti::initTestCase() {
    QVERIFY(m_dir.isValid());
    m_server = std::make_unique<HoistdProcess>(m_dir.filePath("hoistd"));
    QVERIFY2(m_server->start(), m_server->stderrOutput().constData());
}

QString TestCurlMulti::newSession(const HoistdProcess& server) {
    HttpProtocolClient client(m_network, {server.url(), QStringLiteral("tokA"), {}, 20s});
    const auto session =
        QCoro::waitFor(client.createSession({QStringLiteral("curl.bin"), 16 * kMiB, {}, {}, 0}));
    if (!session) {
        qWarning("%s", qPrintable(session.error().describe()));
        return {};
    }
    m_chunkSize = session->chunkSize;
    return session->sessionId;
}

FaultySession TestCurlMulti::behindFault(const HoistdProcess& server, TcpProxy::Fault fault) {
    FaultySession session{newSession(server), std::make_unique<TcpProxy>(server.port())};
    if (!session.proxy->listen())
        session.id.clear();
    session.proxy->injectFault(fault, kMiB);
    return session;
}

qint64 TestCurlMulti::uploadedBytes(const QString& sessionId) {
    HttpProtocolClient client(m_network, {m_server->url(), QStringLiteral("tokA"), {}, 20s});
    const auto status = QCoro::waitFor(client.sessionStatus(sessionId));
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
    const QString id = newSession(*m_server);
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
    const QString id = newSession(*m_server);
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
    const FaultySession session = behindFault(*m_server, TcpProxy::Fault::Stall);
    QVERIFY(!session.id.isEmpty());
    CurlMulti multi({}, 20s);
    CancelToken cancel;
    const auto pending =
        start(multi, session.url(), randomBytes(m_chunkSize), chunkHeaders(0), &cancel);
    QTRY_COMPARE(session.proxy->faultsTriggered(), 1);
    QVERIFY(!pending->outcome);
    cancel.cancel();
    // Settled within cancel(): nothing waited for the stalled connection.
    QVERIFY(pending->outcome);
    QVERIFY(!*pending->outcome);
    QCOMPARE(pending->outcome->error().kind, ProtocolError::Kind::Cancelled);
    QCOMPARE(uploadedBytes(session.id), 0);
}

// A cut connection is a Network error; a stalled one a Timeout once no byte moved for
// the idle timeout. Either way the server stored nothing.
void TestCurlMulti::faultEndsTheExchange_data() {
    QTest::addColumn<TcpProxy::Fault>("fault");
    QTest::addColumn<int>("idleTimeoutMs");
    QTest::addColumn<ProtocolError::Kind>("kind");
    QTest::newRow("cut") << TcpProxy::Fault::Cut << 20000 << ProtocolError::Kind::Network;
    QTest::newRow("stall") << TcpProxy::Fault::Stall << 300 << ProtocolError::Kind::Timeout;
}

void TestCurlMulti::faultEndsTheExchange() {
    QFETCH(TcpProxy::Fault, fault);
    QFETCH(int, idleTimeoutMs);
    QFETCH(ProtocolError::Kind, kind);
    const FaultySession session = behindFault(*m_server, fault);
    QVERIFY(!session.id.isEmpty());
    CurlMulti multi({}, std::chrono::milliseconds(idleTimeoutMs));
    const auto reply =
        waitFor(start(multi, session.url(), randomBytes(m_chunkSize), chunkHeaders(0)));
    QCOMPARE(session.proxy->faultsTriggered(), 1);
    QVERIFY(!reply);
    QCOMPARE(reply.error().kind, kind);
    QVERIFY(!reply.error().message.isEmpty());
    QCOMPARE(uploadedBytes(session.id), 0);
}

void TestCurlMulti::killedServerIsANetworkError() {
    HoistdProcess server(m_dir.filePath("killed"));
    QVERIFY2(server.start(), server.stderrOutput().constData());
    const FaultySession session = behindFault(server, TcpProxy::Fault::Stall);
    QVERIFY(!session.id.isEmpty());
    CurlMulti multi({}, 20s);
    const auto pending = start(multi, session.url(), randomBytes(m_chunkSize), chunkHeaders(0));
    QTRY_COMPARE(session.proxy->faultsTriggered(), 1);
    server.kill9();
    const auto reply = waitFor(pending);
    QVERIFY(!reply);
    QCOMPARE(reply.error().kind, ProtocolError::Kind::Network);
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
