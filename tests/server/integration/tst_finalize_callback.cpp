// Finalization by signed callback (PROTOCOL "Finalization"): Standard Webhooks
// signature, retries with backoff while the session stays finalizing, a capability
// URL for the staged bytes, and deletion of the staged object once confirmed.
#include "hoistd_process.h"
#include "stub_app_server.h"
#include "test_http_client.h"

#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <QTemporaryDir>
#include <QTest>

namespace {
const QByteArray kSecretKey = "hoist-test-webhook-key-0123456789";
const QByteArray kSecret = "whsec_" + kSecretKey.toBase64();

QByteArray expectedSignature(const StubAppServer::Received& r) {
    const QByteArray signed_ =
        r.headers["webhook-id"] + "." + r.headers["webhook-timestamp"] + "." + r.body;
    return "v1," + QMessageAuthenticationCode::hash(signed_, kSecretKey, QCryptographicHash::Sha256)
                       .toBase64();
}
} // namespace

class TestFinalizeCallback final : public QObject {
    Q_OBJECT

  private slots:
    void signedDeliveryIsRetriedUntilConfirmed();
    void finalizingSurvivesAKill();

  private:
    QTemporaryDir m_dir;
};

void TestFinalizeCallback::signedDeliveryIsRetriedUntilConfirmed() {
    StubAppServer app({{503, "{}"}, {500, "oops"}, {200, R"({"fileId":"app-file-42"})"}});
    QVERIFY(app.listen());
    const QString data = m_dir.filePath("signed");
    HoistdProcess server(data, {"--finalize-url", app.url(), "--finalize-secret", kSecret});
    QVERIFY(server.start());
    TestHttpClient client(server.url());
    const QByteArray bytes = "%PDF-1.7\n" + testBytes(300000, 4);
    const QJsonObject session = client.init("report.pdf", bytes.size());
    const QString id = session["sessionId"].toString();
    QCOMPARE(client.putChunk(id, 0, bytes).status, 200);

    const TestReply first = client.postJson("/upload/" + id + "/complete",
                                            {{"fingerprint", QString(sha256Hex(bytes))}});
    QCOMPARE(first.status, 202);
    QCOMPARE(first.json()["state"].toString(), QString("finalizing"));
    QCOMPARE(app.received().size(), 1);
    const auto& delivery = app.received().first();

    QCOMPARE(delivery.headers["webhook-id"], id.toUtf8());
    const qint64 stamp = delivery.headers["webhook-timestamp"].toLongLong();
    QVERIFY(qAbs(stamp - QDateTime::currentSecsSinceEpoch()) < 60);
    QCOMPARE(delivery.headers["webhook-signature"], expectedSignature(delivery));
    const QJsonObject event = QJsonDocument::fromJson(delivery.body).object();
    QCOMPARE(event["event"].toString(), QString("upload.completed"));
    QCOMPARE(event["sessionId"].toString(), id);
    QCOMPARE(event["userId"].toString(), QString("alice"));
    QCOMPARE(event["fileName"].toString(), QString("report.pdf"));
    QCOMPARE(event["detectedMimeType"].toString(), QString("application/pdf"));
    QCOMPARE(event["size"].toInteger(), bytes.size());
    QCOMPARE(event["fingerprint"].toString(), QString(sha256Hex(bytes)));
    QCOMPARE(event["storage"].toObject()["backend"].toString(), QString("disk"));

    // The capability URL serves the staged bytes without a token while finalizing...
    const QString link = event["downloadUrl"].toString();
    TestHttpClient anonymous(server.url(), {});
    const TestReply fetched = anonymous.get(link);
    QCOMPARE(fetched.status, 200);
    QVERIFY(fetched.body == bytes);
    // ...and nothing with a tampered signature.
    QCOMPARE(anonymous.get(QString(link).replace("signature=", "signature=0")).status, 404);
    QCOMPARE(client.get("/upload/" + id).json()["state"].toString(), QString("finalizing"));

    // Retried with backoff until the application server confirms.
    QTRY_COMPARE_WITH_TIMEOUT(client.get("/upload/" + id).json()["state"].toString(),
                              QString("completed"), 20000);
    QCOMPARE(app.received().size(), 3);
    for (const auto& retry : app.received()) {
        QCOMPARE(retry.headers["webhook-id"], id.toUtf8()); // the idempotency key
        QCOMPARE(retry.headers["webhook-signature"], expectedSignature(retry));
    }
    QCOMPARE(client.get("/upload/" + id).json()["fileId"].toString(), QString("app-file-42"));
    const TestReply again = client.postJson("/upload/" + id + "/complete", {});
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json()["fileId"].toString(), QString("app-file-42"));
    // The staged object is gone once the application server has it.
    QCOMPARE(QDir(data + "/objects").entryList(QDir::Files).size(), 0);
    QCOMPARE(anonymous.get(link).status, 404);
}

void TestFinalizeCallback::finalizingSurvivesAKill() {
    StubAppServer failing({{500, "{}"}});
    QVERIFY(failing.listen());
    const QString data = m_dir.filePath("restart");
    HoistdProcess first(data, {"--finalize-url", failing.url(), "--finalize-secret", kSecret});
    QVERIFY(first.start());
    TestHttpClient client(first.url());
    const QByteArray bytes = testBytes(5000, 8);
    const QString id = client.init("later.bin", bytes.size())["sessionId"].toString();
    QCOMPARE(client.putChunk(id, 0, bytes).status, 200);
    QCOMPARE(client.postJson("/upload/" + id + "/complete", {}).status, 202);
    first.kill9();

    StubAppServer working({{200, R"({"fileId":"after-restart"})"}});
    QVERIFY(working.listen());
    HoistdProcess second(data, {"--finalize-url", working.url(), "--finalize-secret", kSecret});
    QVERIFY(second.start());
    TestHttpClient after(second.url());
    QTRY_COMPARE_WITH_TIMEOUT(after.get("/upload/" + id).json()["fileId"].toString(),
                              QString("after-restart"), 20000);
    QCOMPARE(working.received().first().headers["webhook-id"], id.toUtf8());
}

QTEST_GUILESS_MAIN(TestFinalizeCallback)
#include "tst_finalize_callback.moc"
