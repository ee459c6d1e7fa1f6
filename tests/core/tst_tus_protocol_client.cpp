// TusProtocolClient against a scripted tus server: what goes on the wire (tus 1.0.0
// headers, metadata, checksum only when offered), and what each answer means.

#include "fake_tus_server.h"
#include "server_probe.h"
#include "tus_capabilities.h"
#include "tus_protocol_client.h"

#include <QCryptographicHash>
#include <QNetworkAccessManager>
#include <QTest>

using namespace hoist;
using Kind = ProtocolError::Kind;

namespace {

// QVERIFY2 evaluates its message even when the check passes.
template <typename T> QByteArray why(const Result<T>& result) {
    return result ? QByteArray() : result.error().describe().toUtf8();
}

} // namespace

class TestTusProtocolClient final : public QObject {
    Q_OBJECT

    std::unique_ptr<TusProtocolClient> client(const FakeTusServer& server, QString token = {}) {
        return std::make_unique<TusProtocolClient>(
            m_network, TusProtocolClient::Options{server.url(), std::move(token), {}, {}}, nullptr,
            64);
    }
    template <typename T> static T wait(QCoro::Task<T>&& task) {
        return QCoro::waitFor(std::move(task));
    }

    QNetworkAccessManager m_network;

  private slots:
    void capabilitiesFromHeaders() {
        const auto offered = TusCapabilities::fromHeaders(
            "1.0.0, 0.2.2", "creation, checksum ,termination", "md5, sha256", "1048576");
        QVERIFY(offered);
        QVERIFY(offered->checksumSha256);
        QVERIFY(offered->termination);
        QCOMPARE(offered->maxSize, std::optional<qint64>(1048576));
        const auto md5Only = TusCapabilities::fromHeaders("1.0.0", "checksum", "md5", {});
        QVERIFY(md5Only && !md5Only->checksumSha256 && !md5Only->maxSize);
        QVERIFY(!TusCapabilities::fromHeaders("0.2.2", "checksum", "sha256", {}));
    }

    void createSendAndComplete() {
        FakeTusServer server;
        auto tus = client(server, "tok");
        const auto session =
            wait(tus->createSession(NewSession{"ä b.txt", 100, "text/plain", "abc"}));
        QVERIFY2(session, why(session));
        // The relative Location resolves against the creation URL.
        QCOMPARE(session->sessionId, server.url().resolved(QUrl("/files/up")).toString());
        QCOMPARE(session->uploadedBytes, 0);
        QCOMPARE(session->chunkSize, 64);
        FakeTusServer::Seen seen = server.seen();
        QCOMPARE(seen.uploadLength, std::string("100"));
        QCOMPARE(QByteArray::fromStdString(seen.uploadMetadata),
                 "filename " + QByteArray("ä b.txt").toBase64() + ",filetype " +
                     QByteArray("text/plain").toBase64());
        QCOMPARE(seen.tusResumable, std::string("1.0.0"));
        QCOMPARE(seen.authorization, std::string("Bearer tok"));

        const QByteArray body(100, 'x');
        QCOMPARE(wait(tus->sendChunk(session->sessionId, 0, body.left(64), nullptr))->uploadedBytes,
                 64);
        const auto incomplete = wait(tus->complete(session->sessionId, {}));
        QVERIFY(!incomplete && incomplete.error().kind == Kind::Incomplete);
        QCOMPARE(incomplete.error().uploadedBytes, std::optional<qint64>(64));
        QCOMPARE(wait(tus->sendChunk(session->sessionId, 64, body.mid(64), nullptr))->uploadedBytes,
                 100);
        seen = server.seen();
        QCOMPARE(seen.patchContentType, std::string("application/offset+octet-stream"));
        QVERIFY(seen.patchChecksum.empty()); // not offered
        const auto done = wait(tus->complete(session->sessionId, {}));
        QVERIFY2(done, why(done));
        QVERIFY(!done->finalizing);
        QVERIFY(done->fileId.isEmpty()); // tus names no file
        QCOMPARE(server.bytes(), body);
    }

    void checksumWhenSha256IsOffered() {
        FakeTusServer server;
        server.extensions = "creation,checksum";
        server.checksumAlgorithms = "md5,sha256";
        auto tus = client(server);
        const auto session = wait(tus->createSession(NewSession{"f", 10, {}, {}}));
        QVERIFY(session);
        const QByteArray body("0123456789");
        QCOMPARE(wait(tus->sendChunk(session->sessionId, 0, body, nullptr))->uploadedBytes, 10);
        const FakeTusServer::Seen seen = server.seen();
        QCOMPARE(QByteArray::fromStdString(seen.patchChecksum),
                 "sha256 " + QCryptographicHash::hash(body, QCryptographicHash::Sha256).toBase64());
        QVERIFY(seen.authorization.empty()); // no token, no Authorization
        QCOMPARE(QByteArray::fromStdString(seen.uploadMetadata),
                 "filename " + QByteArray("f").toBase64());
    }

    void conflictTellsTheServersOffsetFromHead() {
        FakeTusServer server;
        auto tus = client(server);
        const auto session = wait(tus->createSession(NewSession{"f", 100, {}, {}}));
        QVERIFY(session);
        server.serverAhead = 30;
        const auto sent = wait(tus->sendChunk(session->sessionId, 0, QByteArray(10, 'x'), nullptr));
        QVERIFY(!sent);
        QCOMPARE(sent.error().kind, Kind::OffsetMismatch);
        QCOMPARE(sent.error().uploadedBytes, std::optional<qint64>(30));
        QCOMPARE(server.seen().heads, 1);
    }

    void goneUploadsAreNotFound_data() {
        QTest::addColumn<int>("status");
        QTest::newRow("404") << 404;
        QTest::newRow("410") << 410;
    }
    void goneUploadsAreNotFound() {
        QFETCH(int, status);
        FakeTusServer server;
        server.goneStatus = status;
        auto tus = client(server);
        const auto head = wait(tus->sessionStatus(server.url().toString() + "up"));
        QVERIFY(!head);
        QCOMPARE(head.error().kind, Kind::NotFound);
        QCOMPARE(head.error().httpStatus, status);
        QVERIFY2(head.error().describe().contains("no longer has this upload"),
                 qPrintable(head.error().describe()));
        const auto sent = wait(tus->sendChunk(server.url().toString() + "up", 0, "x", nullptr));
        QVERIFY(!sent && sent.error().kind == Kind::NotFound);
    }

    void maxSizeBoundsUploadAndChunks() {
        FakeTusServer server;
        server.maxSize = "40";
        auto tus = client(server);
        const auto tooLarge = wait(tus->createSession(NewSession{"f", 41, {}, {}}));
        QVERIFY(!tooLarge);
        QCOMPARE(tooLarge.error().kind, Kind::TooLarge);
        QCOMPARE(tooLarge.error().maxSize, std::optional<qint64>(40));
        const auto session = wait(tus->createSession(NewSession{"f", 40, {}, {}}));
        QVERIFY(session);
        QCOMPARE(session->chunkSize, 40);
    }

    void terminationOnlyWhenOffered() {
        FakeTusServer server;
        auto tus = client(server);
        QVERIFY(wait(tus->abortSession(server.url().toString() + "up")));
        QCOMPARE(server.seen().deletes, 1);

        FakeTusServer without;
        without.extensions = "creation";
        auto other = client(without);
        QVERIFY(wait(other->abortSession(without.url().toString() + "up")));
        QCOMPARE(without.seen().deletes, 0);
    }

    void noDuplicateCheck() {
        FakeTusServer server;
        auto tus = client(server);
        const auto dedup = wait(tus->dedup("abc", 1, nullptr));
        QVERIFY(dedup && !dedup->checked && !dedup->exists);
        QCOMPARE(server.seen().heads, 0);
    }

    void notATusServer() {
        FakeTusServer server;
        QUrl elsewhere = server.url();
        elsewhere.setPath("/other/");
        TusProtocolClient tus(m_network, {elsewhere, {}, {}, {}});
        const auto health = wait(tus.checkHealth());
        QVERIFY(!health);
        QCOMPARE(health.error().kind, Kind::NotFound);
    }

    void probeAcceptsOpenServerAndChecksTheToken() {
        FakeTusServer server;
        using Outcome = ServerProbe::Report::Outcome;
        auto report = QCoro::waitFor(ServerProbe::check(server.url(), {}, {}, Protocol::Tus));
        QVERIFY2(report.ok(), qPrintable(report.error.describe()));
        server.requiredToken = "tok";
        report = QCoro::waitFor(ServerProbe::check(server.url(), "wrong", {}, Protocol::Tus));
        QVERIFY(report.outcome == Outcome::TokenRefused);
        report = QCoro::waitFor(ServerProbe::check(server.url(), "tok", {}, Protocol::Tus));
        QVERIFY2(report.ok(), qPrintable(report.error.describe()));
    }
};

QTEST_GUILESS_MAIN(TestTusProtocolClient)
#include "tst_tus_protocol_client.moc"
