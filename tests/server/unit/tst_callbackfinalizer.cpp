// The finalization callback's webhook-signature header (docs/protocol.md: "signed the
// Standard Webhooks 1.0 way"), checked against the specification's published vector.
#include "callback_finalizer.h"
#include "crypto.h"

#include <QTest>

using namespace hoist;

namespace {
// From the Standard Webhooks libraries' tests ("sign function works").
const std::string kVectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::string kVectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const std::int64_t kVectorTimestamp = 1614265330;
const std::string kVectorPayload = R"({"test": 2432232314})";
const std::string kVectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
} // namespace

class TestCallbackFinalizer final : public QObject {
    Q_OBJECT

  private slots:
    void standardWebhooksVector();
    void rawSecretIsTheKeyItself_data();
    void rawSecretIsTheKeyItself();
    void whsecSecretIsItsDecodedBytes();
    void everySignedPartMatters();
};

void TestCallbackFinalizer::standardWebhooksVector() {
    QCOMPARE(
        CallbackFinalizer::signature(kVectorSecret, kVectorId, kVectorTimestamp, kVectorPayload),
        kVectorSignature);
}

void TestCallbackFinalizer::rawSecretIsTheKeyItself_data() {
    // Expected values computed independently:
    //   printf '%s' 'ID.TIMESTAMP.BODY' | openssl dgst -sha256 -hmac SECRET -binary | base64
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("id");
    QTest::addColumn<qint64>("timestamp");
    QTest::addColumn<QString>("body");
    QTest::addColumn<QString>("expected");
    // Without the whsec_ prefix the same text is a raw key: another signature.
    QTest::newRow("vector's secret without whsec_")
        << "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" << QString::fromStdString(kVectorId)
        << qint64(kVectorTimestamp) << QString::fromStdString(kVectorPayload)
        << "v1,ELhqG0Ku1gwOc1f4jyKdp3SFGFLAOdJ9bvpWLciCakI=";
    QTest::newRow("plain secret") << "plain application secret"
                                  << "session-1" << qint64(1700000000)
                                  << R"({"event":"upload.completed"})"
                                  << "v1,B9MnumI5lb2fBl41vX00eJ2fZsPBwEte98UZDxnme94=";
}

void TestCallbackFinalizer::rawSecretIsTheKeyItself() {
    QFETCH(QString, secret);
    QFETCH(QString, id);
    QFETCH(qint64, timestamp);
    QFETCH(QString, body);
    QFETCH(QString, expected);
    QCOMPARE(CallbackFinalizer::signature(secret.toStdString(), id.toStdString(), timestamp,
                                          body.toStdString()),
             expected.toStdString());
}

void TestCallbackFinalizer::whsecSecretIsItsDecodedBytes() {
    const std::string key("\x00\x01secret\xff\xfe", 10);
    const std::string body = R"({"fileId":"x"})";
    QCOMPARE(CallbackFinalizer::signature("whsec_" + base64Encode(key), "id", 42, body),
             "v1," + base64Encode(hmacSha256(key, "id.42." + body)));
}

void TestCallbackFinalizer::everySignedPartMatters() {
    const auto sign = [](const std::string& secret, const std::string& id, std::int64_t ts,
                         const std::string& body) {
        return CallbackFinalizer::signature(secret, id, ts, body);
    };
    const std::string reference = sign(kVectorSecret, kVectorId, kVectorTimestamp, kVectorPayload);
    QVERIFY(sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx", kVectorId, kVectorTimestamp,
                 kVectorPayload) != reference);
    QVERIFY(sign(kVectorSecret, kVectorId + "x", kVectorTimestamp, kVectorPayload) != reference);
    QVERIFY(sign(kVectorSecret, kVectorId, kVectorTimestamp + 1, kVectorPayload) != reference);
    QVERIFY(sign(kVectorSecret, kVectorId, kVectorTimestamp, kVectorPayload + " ") != reference);
}

QTEST_GUILESS_MAIN(TestCallbackFinalizer)
#include "tst_callbackfinalizer.moc"
