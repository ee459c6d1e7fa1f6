#include "protocol_error.h"
#include "retry_policy.h"

#include <QTest>

using namespace hoist;
using namespace std::chrono_literals;

// The backoff schedule, Retry-After, and which failures wait and which fail in words.
class TestRetryPolicy final : public QObject {
    Q_OBJECT

  private slots:
    void doublesUpToTheCap() {
        RetryPolicy policy;
        policy.firstDelay = 1s;
        policy.maxDelay = 60s;
        QCOMPARE(policy.delay(0, 1.0), 1000ms);
        QCOMPARE(policy.delay(1, 1.0), 2000ms);
        QCOMPARE(policy.delay(5, 1.0), 32000ms);
        QCOMPARE(policy.delay(6, 1.0), 60000ms);
        QCOMPARE(policy.delay(1000, 1.0), 60000ms);
    }
    void jitterSpreadsOverTheUpperHalf() {
        RetryPolicy policy;
        policy.firstDelay = 1s;
        policy.maxDelay = 8s;
        QCOMPARE(policy.delay(3, 0.0), 4000ms);
        QCOMPARE(policy.delay(3, 0.5), 6000ms);
        bool spread = false;
        for (int i = 0; i < 50; ++i) {
            const auto delay = policy.randomDelay(3);
            QVERIFY(delay >= 4000ms && delay <= 8000ms);
            spread = spread || delay != policy.randomDelay(3);
        }
        QVERIFY(spread);
    }
    void retryAfterInSecondsOrAsADate() {
        const QDateTime now = QDateTime::fromString("2026-12-02T10:00:00Z", Qt::ISODate);
        QCOMPARE(ProtocolError::parseRetryAfter("120", now), std::optional(120s));
        QCOMPARE(ProtocolError::parseRetryAfter("Wed, 02 Dec 2026 10:01:30 GMT", now),
                 std::optional(90s));
        QCOMPARE(ProtocolError::parseRetryAfter("Wed, 02 Dec 2026 09:00:00 GMT", now),
                 std::optional(0s));
        QVERIFY(!ProtocolError::parseRetryAfter("", now));
        QVERIFY(!ProtocolError::parseRetryAfter("-5", now));
        QVERIFY(!ProtocolError::parseRetryAfter("soon", now));
    }
    void transientFailuresWait_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<bool>("retryable");
        QTest::addColumn<bool>("unreachable");
        QTest::newRow("refused, reset, DNS") << 0 << "" << true << true;
        QTest::newRow("502 from a proxy") << 502 << "" << true << false;
        QTest::newRow("503 unavailable") << 503 << "unavailable" << true << false;
        QTest::newRow("507 no space") << 507 << "insufficient_storage" << true << false;
        QTest::newRow("429") << 429 << "too_many_sessions" << true << false;
        QTest::newRow("413 too large") << 413 << "too_large" << false << false;
        QTest::newRow("413 quota") << 413 << "quota_exceeded" << false << false;
        QTest::newRow("422 type") << 422 << "type_not_allowed" << false << false;
        QTest::newRow("401") << 401 << "unauthorized" << false << false;
    }
    void transientFailuresWait() {
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(bool, retryable);
        QFETCH(bool, unreachable);
        ProtocolError error;
        if (status != 0)
            error = ProtocolError::fromResponse(status, {{"error", code}}, {});
        QCOMPARE(error.isRetryable(), retryable);
        QCOMPARE(error.isUnreachable(), unreachable);
    }
    void permanentFailuresSpeakWords() {
        const auto tooLarge = ProtocolError::fromResponse(
            413,
            {{"error", "too_large"},
             {"message", "the file is larger than the maximum of 67108864 bytes"},
             {"maxSize", 67108864}},
            {});
        QCOMPARE(tooLarge.describe(),
                 QStringLiteral("The file is larger than this server accepts (at most 64 MiB)."));
        const auto huge = ProtocolError::fromResponse(
            413, {{"error", "too_large"}, {"maxSize", 3.0 * (1LL << 30)}}, {});
        QVERIFY2(huge.describe().contains("3 GiB"), qPrintable(huge.describe()));
        for (const char* code : {"quota_exceeded", "type_not_allowed", "unauthorized",
                                 "session_failed", "unavailable", "insufficient_storage"}) {
            const auto error = ProtocolError::fromResponse(400, {{"error", code}}, {});
            QVERIFY2(!error.describe().contains("HTTP"), code);
            QVERIFY2(!error.describe().contains("status"), code);
        }
    }
};

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retry_policy.moc"
