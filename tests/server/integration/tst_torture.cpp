// kill -9 at random moments while several uploads run (docs/protocol.md, server duty 7):
// hoistd restarts on the same data dir or bucket, the clients resume through the offset
// handshake, and every finished file must come back byte for byte with its fingerprint,
// with nothing orphaned in staging or in the bucket.
//
// HOIST_TORTURE_SEED replays a run (the seed is printed); HOIST_TORTURE_DISK_KILLS and
// HOIST_TORTURE_S3_KILLS change the number of kills (bench/torture/run.sh asks for 200).
#include "hoistd_process.h"
#include "moto_server.h"
#include "test_http_client.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QMutex>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace {

int envInt(const char* name, int fallback) {
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok ? value : fallback;
}

// The server's address changes at every restart (port 0): clients read it before each
// request, and a request that finds no server waits and asks again.
class ServerAddress final {
  public:
    void set(const QUrl& url) {
        QMutexLocker lock(&m_mutex);
        m_url = url;
    }
    QUrl get() const {
        QMutexLocker lock(&m_mutex);
        return m_url;
    }

  private:
    mutable QMutex m_mutex;
    QUrl m_url;
};

struct FinishedUpload {
    QString fileName;
    qint64 size = 0;
    quint32 seed = 0;
    QString fileId;
    QByteArray answer; // the one that reported the file, for a failure message
};

// What all uploader threads report back; the test thread reads it once they are joined.
struct Outcome {
    QMutex mutex;
    std::vector<FinishedUpload> finished;
    QStringList failures;
    int lostInits = 0; // init requests whose answer the kill swallowed: abandoned sessions

    void fail(const QString& why) {
        QMutexLocker lock(&mutex);
        failures << why;
    }
};

// One client uploading file after file until told to stop, resuming every session across
// kills the way docs/protocol.md's offset handshake prescribes.
class Uploader final {
  public:
    Uploader(const ServerAddress& address, Outcome& outcome, std::atomic<bool>& stop, int index,
             quint32 seed)
        : m_address(address), m_outcome(outcome), m_stop(stop), m_index(index), m_random(seed) {}

    void run() {
        for (int n = 0; !m_stop; ++n) {
            FinishedUpload upload;
            upload.fileName = QString("u%1-%2.bin").arg(m_index).arg(n);
            upload.size = 10 * 1024 * 1024 + m_random.bounded(10 * 1024 * 1024);
            upload.seed = m_random.generate();
            if (!uploadOne(upload))
                break;
            QMutexLocker lock(&m_outcome.mutex);
            m_outcome.finished.push_back(upload);
        }
        // Its network access manager belongs to this thread: it goes with it.
        m_client.reset();
    }

  private:
    // A client for the current address (a new one after a restart: the old port is gone).
    TestHttpClient& client() {
        const QUrl url = m_address.get();
        if (!m_client || url != m_clientUrl) {
            m_client = std::make_unique<TestHttpClient>(url);
            m_clientUrl = url;
        }
        return *m_client;
    }

    static void pause() { QThread::msleep(30); }
    // Longer than the test client's 60 s transfer timeout: under load, one request in
    // some runs was cancelled after 60 s unanswered (cause not found yet, see the
    // closing note of issue 15); a stall beyond that is still a failure.
    static constexpr qint64 kStuckMs = 90000;

    bool uploadOne(FinishedUpload& upload) {
        const QByteArray data = testBytes(upload.size, upload.seed);
        const QString fingerprint = QString::fromLatin1(sha256Hex(data));
        QString id;
        qint64 chunkSize = 0;
        qint64 lastCommitted = -1;
        QElapsedTimer sinceProgress;
        sinceProgress.start();
        TestReply last;
        // Kills come at most a few seconds apart: an upload that stands still for longer
        // is stuck on the server's side.
        while (sinceProgress.elapsed() < kStuckMs) {
            if (id.isEmpty()) {
                const TestReply init =
                    client().postJson("/upload/init", {{"fileName", upload.fileName},
                                                       {"size", upload.size},
                                                       {"fingerprint", fingerprint}});
                if (init.status == 201) {
                    id = init.json()["sessionId"].toString();
                    chunkSize = init.json()["chunkSize"].toInteger();
                    continue;
                }
                if (init.status != 0)
                    return failed(upload, "init", init);
                last = init;
                {
                    QMutexLocker lock(&m_outcome.mutex);
                    ++m_outcome.lostInits;
                }
                pause();
                continue;
            }
            // The offset handshake: the server's committed count is the only truth.
            const TestReply status = client().get("/upload/" + id);
            if (status.status == 0) {
                last = status;
                pause();
                continue;
            }
            if (status.status != 200)
                return failed(upload, "status", status);
            const QJsonObject session = status.json();
            if (session["state"].toString() == "completed") {
                upload.fileId = session["fileId"].toString();
                upload.answer = "status: " + status.body;
                return true;
            }
            if (session["state"].toString() == "failed")
                return failed(upload, "status", status);
            const qint64 committed = session["uploadedBytes"].toInteger();
            if (committed != lastCommitted) {
                lastCommitted = committed;
                sinceProgress.restart();
            }
            if (committed < upload.size) {
                const TestReply put =
                    client().putChunk(id, committed, data.mid(committed, chunkSize));
                // A stale offset and a cut connection are answered by the next handshake.
                const bool stale = put.status == 409 && (put.json()["error"] == "offset_mismatch" ||
                                                         put.json()["error"] == "completed");
                if (put.status != 200 && !stale && put.status != 0)
                    return failed(upload, "chunk", put);
                last = put;
                continue;
            }
            const TestReply done = client().complete(id, data);
            // After a kill, the old port may already serve another test's process (seen:
            // a Node server's empty 200) until this worker picks up the new address: only
            // hoistd's answer, which names the file, completes the upload.
            if (done.status == 200 && !done.json()["fileId"].toString().isEmpty()) {
                upload.fileId = done.json()["fileId"].toString();
                upload.answer = "complete: " + done.body;
                for (const auto& [name, value] : done.headers)
                    upload.answer += " | " + name + ": " + value;
                return true;
            }
            if (done.status == 202 || done.status == 0 || done.status == 200) {
                last = done;
                pause();
                continue;
            }
            return failed(upload, "complete", done);
        }
        return failed(upload, "no progress for 90 s; the last request", last);
    }

    bool failed(const FinishedUpload& upload, const char* step, const TestReply& reply) {
        m_outcome.fail(QString("%1: %2 answered %3 %4")
                           .arg(upload.fileName, step)
                           .arg(reply.status)
                           .arg(QString::fromUtf8(reply.body) + reply.networkError));
        return false;
    }

    const ServerAddress& m_address;
    Outcome& m_outcome;
    std::atomic<bool>& m_stop;
    int m_index;
    QRandomGenerator m_random;
    std::unique_ptr<TestHttpClient> m_client;
    QUrl m_clientUrl;
};

} // namespace

class TestTorture final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void killsOnDisk();
    void killsOnS3();

  private:
    using ServerFactory = std::function<std::unique_ptr<HoistdProcess>(QStringList extra)>;
    // Runs `kills` kill/restart cycles under `uploaders` concurrent clients, then checks
    // every finished file and, with orphans (the staged objects left), that nothing leaks.
    void torture(const char* where, quint32 salt, const ServerFactory& makeServer, int kills,
                 int uploaders, int maxPauseMs, const std::function<QStringList()>& orphans);

    // Longer than any chunk takes here, kills included, so no live session expires.
    static constexpr int kTtlSeconds = 20;
    quint32 m_seed = 0;
    QTemporaryDir m_dir;
};

void TestTorture::initTestCase() {
    QVERIFY(m_dir.isValid());
    bool fixed = false;
    m_seed = qEnvironmentVariable("HOIST_TORTURE_SEED").toUInt(&fixed);
    if (!fixed)
        m_seed = QRandomGenerator::system()->generate();
    qInfo("torture seed %u (replay with HOIST_TORTURE_SEED=%u)", m_seed, m_seed);
}

void TestTorture::torture(const char* where, quint32 salt, const ServerFactory& makeServer,
                          int kills, int uploaders, int maxPauseMs,
                          const std::function<QStringList()>& orphans) {
    QRandomGenerator random(m_seed + salt);
    // Sessions expire kTtlSeconds after their last accepted chunk (docs/protocol.md, duty
    // 5), an expiry stored with each session: it must be short from the start for the
    // sessions that kills abandon to be swept within the test.
    const QStringList expiry{"--session-ttl", QString::number(kTtlSeconds), "--sweep-interval",
                             "1"};
    auto hoistd = makeServer(expiry);
    QVERIFY(hoistd->start());
    hoistd->keepPort();
    ServerAddress address;
    address.set(hoistd->url());

    Outcome outcome;
    std::atomic<bool> stop{false};
    std::vector<std::unique_ptr<Uploader>> clients;
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < uploaders; ++i) {
        clients.push_back(std::make_unique<Uploader>(address, outcome, stop, i, random.generate()));
        threads.emplace_back(QThread::create([client = clients.back().get()] { client->run(); }));
        threads.back()->start();
    }
    int done = 0;
    for (; done < kills; ++done) {
        QThread::msleep(50 + random.bounded(maxPauseMs));
        hoistd->kill9();
        if (!hoistd->start()) {
            qWarning() << "hoistd did not restart:" << hoistd->stderrOutput().right(2000);
            break;
        }
        address.set(hoistd->url());
    }
    stop = true;
    for (auto& thread : threads)
        QVERIFY(thread->wait(120000));
    QVERIFY2(outcome.failures.isEmpty(), qPrintable(outcome.failures.join('\n')));
    QCOMPARE(done, kills);
    QVERIFY(!outcome.finished.empty());

    TestHttpClient client(hoistd->url());
    qint64 verified = 0;
    for (const FinishedUpload& upload : outcome.finished) {
        const QByteArray data = testBytes(upload.size, upload.seed);
        const TestReply file = client.get("/files/" + upload.fileId);
        QVERIFY2(file.status == 200, upload.answer.constData());
        QCOMPARE(file.json()["fingerprint"].toString(), QString::fromLatin1(sha256Hex(data)));
        QCOMPARE(file.json()["size"].toInteger(), upload.size);
        const TestReply content = client.get("/files/" + upload.fileId + "/content");
        QCOMPARE(content.status, 200);
        QVERIFY2(content.body == data, qPrintable(upload.fileName + " differs from its source"));
        verified += content.body.size();
    }
    QCOMPARE(client.get("/files").json()["files"].toArray().size(),
             static_cast<qsizetype>(outcome.finished.size()));

    // Staged bytes may only belong to sessions whose init answer a kill swallowed (the
    // client never learnt their ids); once those expire, nothing at all may remain.
    QVERIFY2(orphans().size() <= outcome.lostInits,
             qPrintable(QString("staged: %1; %2 abandoned sessions")
                            .arg(orphans().join(", "))
                            .arg(outcome.lostInits)));
    hoistd->kill9();
    auto sweeping = makeServer(expiry);
    QVERIFY(sweeping->start());
    QElapsedTimer sweepTime;
    sweepTime.start();
    while (!orphans().isEmpty() && sweepTime.elapsed() < (kTtlSeconds + 15) * 1000)
        QThread::msleep(200);
    QVERIFY2(orphans().isEmpty(), qPrintable("left behind: " + orphans().join(", ") + "\n" +
                                             sweeping->stderrOutput().right(3000)));
    TestHttpClient after(sweeping->url());
    QCOMPARE(after.get("/files").json()["files"].toArray().size(),
             static_cast<qsizetype>(outcome.finished.size()));
    QVERIFY(sweeping->terminate());

    qInfo("torture %s: seed %u kills %d uploads %d bytes verified %lld", where, m_seed, done,
          static_cast<int>(outcome.finished.size()), static_cast<long long>(verified));
}

void TestTorture::killsOnDisk() {
    const QString dataDir = m_dir.filePath("disk");
    const auto makeServer = [&](QStringList extra) {
        return std::make_unique<HoistdProcess>(dataDir, extra);
    };
    const auto staged = [&] {
        return QDir(dataDir + "/staging").entryList(QDir::Files | QDir::Hidden);
    };
    torture("disk", 1, makeServer, envInt("HOIST_TORTURE_DISK_KILLS", 20), 4, 600, staged);
}

void TestTorture::killsOnS3() {
    MotoServer moto;
    if (!moto.start())
        QSKIP(qPrintable("no S3 server for this test: " + moto.errorString()));
    QVERIFY(moto.createBucket("torture"));
    const QString dataDir = m_dir.filePath("s3");
    const auto makeServer = [&](QStringList extra) {
        extra << "--storage"
              << "s3"
              << "--s3-endpoint" << moto.endpoint() << "--s3-bucket"
              << "torture"
              << "--s3-region" << moto.region();
        auto process = std::make_unique<HoistdProcess>(dataDir, extra);
        process->setEnvironment(moto.credentialsEnvironment());
        return process;
    };
    const auto openUploads = [&] { return moto.multipartUploads("torture"); };
    torture("s3", 2, makeServer, envInt("HOIST_TORTURE_S3_KILLS", 10), 3, 1500, openUploads);
}

QTEST_GUILESS_MAIN(TestTorture)
#include "tst_torture.moc"
