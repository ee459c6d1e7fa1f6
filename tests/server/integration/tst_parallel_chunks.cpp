// Parallel chunks (docs/protocol.md, "Parallel chunks") against real hoistd processes,
// on disk and on S3 (moto; that half skips, loudly, without moto_server): chunks of a
// window sent out of order on separate connections at once, the truth for a chunk
// already stored, one winner for a chunk sent twice at once, kill -9 mid-window, the
// hash finished from staged bytes when the hash buffer is full, and a wrong byte in an
// out-of-order chunk caught at complete.
#include "hoistd_process.h"
#include "moto_server.h"
#include "test_http_client.h"

#include <QBuffer>
#include <QEventLoop>
#include <QJsonArray>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <vector>

namespace {
constexpr qint64 kChunk = 8 * 1024 * 1024;
// Four chunks, the last one short: one window of four.
constexpr qint64 kSize = 3 * kChunk + 4321;

struct ChunkPut {
    qint64 index;
    QByteArray bytes;
};

// Sends every PUT at once, each on a connection of its own (one access manager per
// request), and waits for all the answers: their statuses and bodies, in order.
std::vector<TestReply> putAtOnce(const QUrl& base, const QString& id,
                                 const std::vector<ChunkPut>& puts) {
    std::vector<std::unique_ptr<QNetworkAccessManager>> managers;
    std::vector<std::unique_ptr<QBuffer>> bodies;
    std::vector<QNetworkReply*> replies;
    QEventLoop loop;
    int open = static_cast<int>(puts.size());
    for (const ChunkPut& put : puts) {
        managers.push_back(std::make_unique<QNetworkAccessManager>());
        QNetworkRequest request(base.resolved(QUrl("/upload/" + id)));
        request.setRawHeader("Authorization", "Bearer tokA");
        request.setRawHeader("X-Upload-Offset", QByteArray::number(put.index * kChunk));
        request.setRawHeader("Content-Type", "application/octet-stream");
        request.setTransferTimeout(60000);
        bodies.push_back(std::make_unique<QBuffer>());
        bodies.back()->setData(put.bytes);
        bodies.back()->open(QIODevice::ReadOnly);
        QNetworkReply* reply = managers.back()->put(request, bodies.back().get());
        QObject::connect(reply, &QNetworkReply::finished, &loop, [&] {
            if (--open == 0)
                loop.quit();
        });
        replies.push_back(reply);
    }
    if (open > 0)
        loop.exec();
    std::vector<TestReply> out;
    for (QNetworkReply* reply : replies) {
        TestReply answer;
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        answer.headers = reply->rawHeaderPairs();
        out.push_back(answer);
        reply->deleteLater();
    }
    return out;
}

QList<qint64> storedChunksOf(const QJsonObject& body) {
    QList<qint64> out;
    for (const auto& value : body["storedChunks"].toArray())
        out << value.toInteger();
    return out;
}

QByteArray chunkOf(const QByteArray& data, qint64 index) {
    return data.mid(index * kChunk, kChunk);
}

qint64 readbackBytes(TestHttpClient& client) {
    const QByteArray metrics = client.get("/metrics").body;
    const QByteArray name = "hoistd_hash_readback_bytes_total ";
    const qsizetype at = metrics.indexOf("\n" + name);
    if (at < 0)
        return -1;
    const qsizetype from = at + 1 + name.size();
    return metrics.mid(from, metrics.indexOf('\n', from) - from).toLongLong();
}
} // namespace

class TestParallelChunks final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void windowSurvivesKill9_data();
    void windowSurvivesKill9();
    void fullHashBufferReadsBack_data();
    void fullHashBufferReadsBack();
    void wrongByteAheadOfTheHashFailsAtComplete_data();
    void wrongByteAheadOfTheHashFailsAtComplete();
    void initRefusesAWindowOutOfRange();

  private:
    void backends();
    std::unique_ptr<HoistdProcess> server(const QString& name, QStringList extra = {});
    QJsonObject init(TestHttpClient& client, const QByteArray& data, int parallelChunks);

    QTemporaryDir m_dir;
    MotoServer m_moto;
    bool m_motoUp = false;
    QString m_motoProblem;
};

void TestParallelChunks::initTestCase() {
    m_motoUp = m_moto.start();
    if (!m_motoUp)
        m_motoProblem = m_moto.errorString();
}

void TestParallelChunks::backends() {
    QTest::addColumn<QString>("storage");
    QTest::newRow("disk") << "disk";
    QTest::newRow("s3") << "s3";
}

std::unique_ptr<HoistdProcess> TestParallelChunks::server(const QString& name, QStringList extra) {
    QFETCH(QString, storage);
    extra << "--metrics-token"
          << "tokA";
    if (storage == "disk")
        return std::make_unique<HoistdProcess>(m_dir.filePath(name), extra);
    if (!m_motoUp)
        QTest::qSkip(qPrintable("no S3 server for this test: " + m_motoProblem), __FILE__,
                     __LINE__);
    if (!m_moto.createBucket(name))
        return nullptr;
    extra << "--storage"
          << "s3"
          << "--s3-endpoint" << m_moto.endpoint() << "--s3-bucket" << name << "--s3-region"
          << m_moto.region();
    auto process = std::make_unique<HoistdProcess>(m_dir.filePath(name), extra);
    process->setEnvironment(m_moto.credentialsEnvironment());
    return process;
}

QJsonObject TestParallelChunks::init(TestHttpClient& client, const QByteArray& data,
                                     int parallelChunks) {
    return client
        .postJson("/upload/init", {{"fileName", "window.bin"},
                                   {"size", data.size()},
                                   {"fingerprint", QString::fromLatin1(sha256Hex(data))},
                                   {"parallelChunks", parallelChunks}})
        .json();
}

void TestParallelChunks::windowSurvivesKill9_data() {
    backends();
}

void TestParallelChunks::windowSurvivesKill9() {
    auto hoistd = server("window");
    if (!hoistd)
        return;
    QVERIFY(hoistd->start());
    TestHttpClient client(hoistd->url());
    const QByteArray data = testBytes(kSize, 41);
    const QJsonObject session = init(client, data, 4);
    QCOMPARE(session["parallelChunks"].toInteger(), qint64{4});
    QCOMPARE(session["chunkSize"].toInteger(), kChunk);
    const QString id = session["sessionId"].toString();

    // Out of order, each on its own connection, all at once: each acknowledged while
    // the prefix stays at 0.
    const auto first = putAtOnce(
        hoistd->url(), id, {{3, chunkOf(data, 3)}, {1, chunkOf(data, 1)}, {2, chunkOf(data, 2)}});
    for (const TestReply& reply : first) {
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json()["uploadedBytes"].toInteger(), qint64{0});
        QCOMPARE(reply.header("X-Upload-Offset"), QByteArray("0"));
    }
    QCOMPARE(storedChunksOf(client.get("/upload/" + id).json()), QList<qint64>({1, 2, 3}));

    // A chunk already stored: the truth, nothing written.
    const TestReply again = client.putChunk(id, 2 * kChunk, chunkOf(data, 2));
    QCOMPARE(again.status, 409);
    QCOMPARE(again.json()["error"].toString(), QString("offset_mismatch"));
    QCOMPARE(again.json()["uploadedBytes"].toInteger(), qint64{0});
    QCOMPARE(storedChunksOf(again.json()), QList<qint64>({1, 2, 3}));

    // Every acknowledged chunk survives kill -9; the restarted server lists them.
    hoistd->kill9();
    QVERIFY(hoistd->start());
    TestHttpClient after(hoistd->url());
    const QJsonObject status = after.get("/upload/" + id).json();
    QCOMPARE(status["uploadedBytes"].toInteger(), qint64{0});
    QCOMPARE(status["parallelChunks"].toInteger(), qint64{4});
    const QList<qint64> stored = storedChunksOf(status);
    QCOMPARE(stored, QList<qint64>({1, 2, 3}));
    QList<qint64> missing;
    for (qint64 index = status["uploadedBytes"].toInteger() / kChunk; index < 4; ++index)
        if (!stored.contains(index))
            missing << index;
    QCOMPARE(missing, QList<qint64>({0}));

    // The one missing chunk, sent twice at once: exactly one 200, and it closes the file.
    const auto racing =
        putAtOnce(hoistd->url(), id, {{0, chunkOf(data, 0)}, {0, chunkOf(data, 0)}});
    int ok = 0;
    for (const TestReply& reply : racing) {
        if (reply.status == 200) {
            ++ok;
            QCOMPARE(reply.json()["uploadedBytes"].toInteger(), kSize);
            QCOMPARE(storedChunksOf(reply.json()), QList<qint64>());
        } else {
            QVERIFY2(reply.status == 409 || reply.status == 423, reply.body.constData());
        }
    }
    QCOMPARE(ok, 1);
    const TestReply done = after.complete(id, data);
    QCOMPARE(done.status, 200);
    QCOMPARE(done.json()["fingerprint"].toString(), QString::fromLatin1(sha256Hex(data)));
    QVERIFY(after.fileContent(done) == data);
}

void TestParallelChunks::fullHashBufferReadsBack_data() {
    backends();
}

// No room to keep chunks that arrive ahead of the hash: their bytes are read back
// (staging on disk; the assembled object on S3) and the file still verifies.
void TestParallelChunks::fullHashBufferReadsBack() {
    auto hoistd = server("readback", {"--hash-buffer", "1"});
    if (!hoistd)
        return;
    QVERIFY(hoistd->start());
    TestHttpClient client(hoistd->url());
    const QByteArray data = testBytes(kSize, 42);
    const QString id = init(client, data, 4)["sessionId"].toString();
    for (const qint64 index : {2, 3, 1, 0})
        QCOMPARE(client.putChunk(id, index * kChunk, chunkOf(data, index)).status, 200);
    const TestReply done = client.complete(id, data);
    QCOMPARE(done.status, 200);
    QVERIFY(client.fileContent(done) == data);
    QCOMPARE(readbackBytes(client), kSize - kChunk);
}

void TestParallelChunks::wrongByteAheadOfTheHashFailsAtComplete_data() {
    backends();
}

void TestParallelChunks::wrongByteAheadOfTheHashFailsAtComplete() {
    auto hoistd = server("wrong");
    if (!hoistd)
        return;
    QVERIFY(hoistd->start());
    TestHttpClient client(hoistd->url());
    const QByteArray data = testBytes(kSize, 43);
    const QString id = init(client, data, 4)["sessionId"].toString();
    QByteArray bad = chunkOf(data, 2);
    bad[12345] = static_cast<char>(bad[12345] ^ 0x40);
    QCOMPARE(client.putChunk(id, 2 * kChunk, bad).status, 200);
    for (const qint64 index : {3, 1, 0})
        QCOMPARE(client.putChunk(id, index * kChunk, chunkOf(data, index)).status, 200);
    const TestReply refused = client.complete(id, data);
    QCOMPARE(refused.json()["error"].toString(), QString("fingerprint_mismatch"));
    QCOMPARE(client.get("/upload/" + id).json()["state"].toString(), QString("failed"));
}

// The extension's init rules; the sequential contract without the field.
void TestParallelChunks::initRefusesAWindowOutOfRange() {
    HoistdProcess hoistd(m_dir.filePath("init"), {"--max-parallel-chunks", "3"});
    QVERIFY(hoistd.start());
    TestHttpClient client(hoistd.url());
    for (const QJsonValue& bad :
         {QJsonValue(0), QJsonValue(65), QJsonValue("4"), QJsonValue(2.5)}) {
        const TestReply refused = client.postJson(
            "/upload/init", {{"fileName", "a.bin"}, {"size", 10}, {"parallelChunks", bad}});
        QCOMPARE(refused.status, 400);
    }
    const QJsonObject granted =
        client
            .postJson("/upload/init", {{"fileName", "a.bin"}, {"size", 10}, {"parallelChunks", 64}})
            .json();
    QCOMPARE(granted["parallelChunks"].toInteger(), qint64{3});
    const QJsonObject plain = client.init("b.bin", 10);
    QVERIFY(!plain.contains("parallelChunks"));
    const QJsonObject status = client.get("/upload/" + plain["sessionId"].toString()).json();
    QVERIFY(!status.contains("parallelChunks"));
    QVERIFY(!status.contains("storedChunks"));
}

QTEST_GUILESS_MAIN(TestParallelChunks)
#include "tst_parallel_chunks.moc"
