// hoistd --storage s3 against a real S3-speaking server (moto, signatures checked):
// crash recovery, orphaned multipart uploads, expiry. Each test ends with no
// multipart upload left in the bucket.
#include "hoistd_process.h"
#include "moto_server.h"
#include "test_http_client.h"

#include <QTemporaryDir>
#include <QTest>

class TestS3Recovery final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void killMidUploadThenResume();
    void orphanedUploadsAreAbortedAtStart();
    void expiryAbortsTheMultipartUpload();

  private:
    std::unique_ptr<HoistdProcess> server(const QString& name, const QString& bucket,
                                          QStringList extra = {});
    QTemporaryDir m_dir;
    MotoServer m_moto;
};

void TestS3Recovery::initTestCase() {
    if (!m_moto.start())
        QSKIP(qPrintable("no S3 server for this test: " + m_moto.errorString()));
}

std::unique_ptr<HoistdProcess> TestS3Recovery::server(const QString& name, const QString& bucket,
                                                      QStringList extra) {
    extra << "--storage"
          << "s3"
          << "--s3-endpoint" << m_moto.endpoint() << "--s3-bucket" << bucket << "--s3-region"
          << m_moto.region();
    auto process = std::make_unique<HoistdProcess>(m_dir.filePath(name), extra);
    process->setEnvironment(m_moto.credentialsEnvironment());
    return process;
}

void TestS3Recovery::killMidUploadThenResume() {
    QVERIFY(m_moto.createBucket("crash"));
    auto hoistd = server("crash", "crash");
    QVERIFY(hoistd->start());
    TestHttpClient client(hoistd->url());
    const QByteArray data = testBytes(20 * 1024 * 1024 + 123, 21);
    const QJsonObject session = client.init("video.mp4", data.size());
    const QString id = session["sessionId"].toString();
    const qint64 chunk = session["chunkSize"].toInteger();
    QCOMPARE(client.putChunk(id, 0, data.left(chunk)).status, 200);
    QCOMPARE(client.putChunk(id, chunk, data.mid(chunk, chunk)).status, 200);
    hoistd->kill9();
    QCOMPARE(m_moto.multipartUploads("crash").size(), 1);

    QVERIFY(hoistd->start());
    TestHttpClient after(hoistd->url());
    QCOMPARE(after.get("/upload/" + id).json()["uploadedBytes"].toInteger(), 2 * chunk);
    QCOMPARE(after.putChunk(id, 2 * chunk, data.mid(2 * chunk)).status, 200);
    const TestReply done = after.complete(id, data);
    QCOMPARE(done.status, 200);
    QVERIFY(after.fileContent(done) == data);
    QCOMPARE(m_moto.multipartUploads("crash"), QStringList());
}

void TestS3Recovery::orphanedUploadsAreAbortedAtStart() {
    QVERIFY(m_moto.createBucket("orphans"));
    auto first = server("orphans-lost-db", "orphans");
    QVERIFY(first->start());
    TestHttpClient client(first->url());
    const QByteArray data = testBytes(8 * 1024 * 1024 + 1);
    for (int i = 0; i < 3; ++i) {
        const QString id =
            client.init(QString("o%1.bin").arg(i), data.size())["sessionId"].toString();
        QCOMPARE(client.putChunk(id, 0, data.left(8 * 1024 * 1024)).status, 200);
    }
    first->kill9();
    QCOMPARE(m_moto.multipartUploads("orphans").size(), 3);
    // A server whose session store knows none of them (a lost or replaced database)
    // owns none of them: its start-up reconciliation aborts all three.
    auto second = server("orphans-new-db", "orphans");
    QVERIFY(second->start());
    QCOMPARE(m_moto.multipartUploads("orphans"), QStringList());
}

void TestS3Recovery::expiryAbortsTheMultipartUpload() {
    QVERIFY(m_moto.createBucket("expiry"));
    auto hoistd = server("expiry", "expiry", {"--session-ttl", "2", "--sweep-interval", "1"});
    QVERIFY(hoistd->start());
    TestHttpClient client(hoistd->url());
    const QByteArray data = testBytes(8 * 1024 * 1024 + 1);
    const QString id = client.init("stale.bin", data.size())["sessionId"].toString();
    QCOMPARE(client.putChunk(id, 0, data.left(8 * 1024 * 1024)).status, 200);
    QCOMPARE(m_moto.multipartUploads("expiry").size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(m_moto.multipartUploads("expiry"), QStringList(), 15000);
    QCOMPARE(client.get("/upload/" + id).status, 404);
}

QTEST_GUILESS_MAIN(TestS3Recovery)
#include "tst_s3_recovery.moc"
