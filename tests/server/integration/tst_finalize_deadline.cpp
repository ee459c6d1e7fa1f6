// The finalization callback under a broken application server (docs/admin.md,
// "Security" / "Finalization"): an answer that never comes, or comes a byte at a time,
// holds `complete` no longer than --finalize-timeout, and the session still finishes
// once the server answers; retries for many sessions keep their backoff schedule.
#include "hoistd_process.h"
#include "stub_app_server.h"
#include "test_http_client.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

namespace {
const QByteArray kSecret = "deadline-test-secret";
using Mode = StubAppServer::Mode;

// Uploads `bytes` as a new session of alice's; returns its id.
QString uploadedSession(TestHttpClient& client, const QByteArray& bytes) {
    const QString id = client.init("deadline.bin", bytes.size())["sessionId"].toString();
    return client.putChunk(id, 0, bytes).status == 200 ? id : QString();
}
} // namespace

class TestFinalizeDeadline final : public QObject {
    Q_OBJECT

  private slots:
    void slowCallbackAnswersFinalizingInTime_data();
    void slowCallbackAnswersFinalizingInTime();
    void retriesForManySessionsKeepTheirSchedule();

  private:
    QTemporaryDir m_dir;
};

void TestFinalizeDeadline::slowCallbackAnswersFinalizingInTime_data() {
    QTest::addColumn<int>("mode");
    QTest::newRow("hang") << int(Mode::Hang);
    QTest::newRow("trickle") << int(Mode::Trickle);
}

void TestFinalizeDeadline::slowCallbackAnswersFinalizingInTime() {
    QFETCH(int, mode);
    StubAppServer app({{200, "{}", Mode(mode)}, {200, R"({"fileId":"late-but-fine"})"}});
    QVERIFY(app.listen());
    HoistdProcess server(
        m_dir.filePath(QTest::currentDataTag()),
        {"--finalize-url", app.url(), "--finalize-secret", kSecret, "--finalize-timeout", "2"});
    QVERIFY(server.start());
    TestHttpClient client(server.url());
    const QByteArray bytes = testBytes(20000, 3);
    const QString id = uploadedSession(client, bytes);
    QVERIFY(!id.isEmpty());

    QElapsedTimer held;
    held.start();
    const TestReply completion = client.complete(id, bytes);
    // The deadline is 2 s; without one the stub would hold the request for hours.
    QVERIFY2(held.elapsed() < 10000, qPrintable(QString::number(held.elapsed())));
    QCOMPARE(completion.status, 202);
    QCOMPARE(completion.json()["state"].toString(), QString("finalizing"));
    // The retry may already be on its way (its first delay is about a second, and a
    // loaded or sanitized run answers slowly), so the count is checked at the end.
    QVERIFY(!app.received().isEmpty());

    QTRY_COMPARE_WITH_TIMEOUT(client.get("/upload/" + id).json()["state"].toString(),
                              QString("completed"), 20000);
    QCOMPARE(client.get("/upload/" + id).json()["fileId"].toString(), QString("late-but-fine"));
    QCOMPARE(app.received().size(), 2); // the held attempt, then the retry that won
}

void TestFinalizeDeadline::retriesForManySessionsKeepTheirSchedule() {
    StubAppServer app({{200, "{}", Mode::Hang}});
    QVERIFY(app.listen());
    HoistdProcess server(m_dir.filePath("many"), {"--finalize-url", app.url(), "--finalize-secret",
                                                  kSecret, "--finalize-timeout", "2"});
    QVERIFY(server.start());
    TestHttpClient client(server.url());
    constexpr int kSessions = 6;
    QStringList ids;
    for (int i = 0; i < kSessions; ++i) {
        const QByteArray bytes = testBytes(1000 + i, 10 + i);
        const QString id = uploadedSession(client, bytes);
        QVERIFY(!id.isEmpty());
        QCOMPARE(client.complete(id, bytes).status, 202);
        ids << id;
    }
    // Each attempt hangs until its 2 s deadline, then waits 1 s, 2 s, 4 s (+ <= 25 %
    // jitter) before the next: attempts start by 0, 3, 7 and 14 s after the first, so
    // every session has at least 4 within 18 s. Retries sharing one thread would take
    // 6 x 2 s a round and give each session 2.
    constexpr qint64 kWindowMs = 18000;
    const qint64 lastFirst = app.received().last().receivedAtMs;
    QTest::qWait(int(lastFirst + kWindowMs + 500 - QDateTime::currentMSecsSinceEpoch()));
    for (const QString& id : ids) {
        qint64 first = -1;
        int attempts = 0;
        for (const auto& delivery : app.received()) {
            if (delivery.headers["webhook-id"] != id.toUtf8())
                continue;
            if (first < 0)
                first = delivery.receivedAtMs;
            if (delivery.receivedAtMs - first <= kWindowMs)
                ++attempts;
        }
        QVERIFY2(attempts >= 4, qPrintable(id + ": " + QString::number(attempts) + " attempts"));
    }
}

QTEST_GUILESS_MAIN(TestFinalizeDeadline)
#include "tst_finalize_deadline.moc"
