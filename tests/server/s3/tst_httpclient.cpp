// HttpClient against a real HTTP server on loopback (moto_server without signature
// checks, which stores whatever it is sent by anyone who shows some S3 credential).
#include "http_client.h"
#include "moto_server.h"

#include <QTest>

using namespace hoist;

class TestHttpClient final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void streamsRequestAndResponseBodies();
    void errorBodiesNeverGoToTheSink();
    void transportFailuresAreValues();

  private:
    std::string url(const std::string& path) const {
        return m_moto.endpoint().toStdString() + path;
    }
    // Unchecked, but without one moto treats a GET as anonymous and refuses it.
    static HttpHeaders someCredential() {
        return {{"Authorization", "AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/s3/"
                                  "aws4_request, SignedHeaders=host, Signature=0"}};
    }

    MotoServer m_moto{false};
};

void TestHttpClient::initTestCase() {
    if (!m_moto.start()) {
        QSKIP(qPrintable(m_moto.errorString()));
    }
    QVERIFY(m_moto.createBucket(QStringLiteral("http-client")));
}

void TestHttpClient::streamsRequestAndResponseBodies() {
    HttpClient http;
    const std::int64_t length = 3 * 1024 * 1024 + 5;
    HttpRequest put;
    put.method = "PUT";
    put.url = url("/http-client/object");
    put.bodyLength = length;
    // 64 KiB at a time, each byte a function of its offset.
    put.bodyProvider = [&](std::int64_t offset, const BodySink& write) {
        std::string piece(static_cast<std::size_t>(std::min<std::int64_t>(65536, length - offset)),
                          '\0');
        for (std::size_t i = 0; i < piece.size(); ++i) {
            piece[i] = static_cast<char>((offset + static_cast<std::int64_t>(i)) % 251);
        }
        return write(piece);
    };
    const auto stored = http.request(put);
    QVERIFY(stored);
    QCOMPARE(stored->status, 200);

    for (int round = 0; round < 2; ++round) { // the second one reuses the connection
        HttpRequest get;
        get.url = url("/http-client/object");
        get.headers = someCredential();
        std::int64_t received = 0;
        bool intact = true;
        const auto got = http.request(get, [&](std::span<const char> bytes) {
            for (const char c : bytes) {
                intact = intact && c == static_cast<char>(received % 251);
                ++received;
            }
            return true;
        });
        QVERIFY(got);
        QCOMPARE(got->status, 200);
        QVERIFY(got->body.empty());
        QCOMPARE(received, length);
        QVERIFY(intact);
        QCOMPARE(got->header("Content-Length").value_or("absent"), std::to_string(length));
    }

    HttpRequest small;
    small.method = "PUT";
    small.url = url("/http-client/small");
    small.body = "hello";
    QCOMPARE(http.request(small)->status, 200);
    HttpRequest get;
    get.url = url("/http-client/small");
    get.headers = someCredential();
    QCOMPARE(http.request(get)->body, std::string("hello"));
}

void TestHttpClient::errorBodiesNeverGoToTheSink() {
    HttpClient http;
    HttpRequest get;
    get.url = url("/http-client/missing");
    get.headers = someCredential();
    bool sinkCalled = false;
    const auto response = http.request(get, [&](std::span<const char>) {
        sinkCalled = true;
        return true;
    });
    QVERIFY(response);
    QCOMPARE(response->status, 404);
    QVERIFY(!sinkCalled);
    QVERIFY(response->body.find("NoSuchKey") != std::string::npos);
}

void TestHttpClient::transportFailuresAreValues() {
    HttpClient http;
    HttpRequest closed;
    closed.url = "http://127.0.0.1:1/";
    const auto refused = http.request(closed);
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, HttpTransportError::Kind::Connect);

    HttpRequest notHttp;
    notHttp.url = "ftp://127.0.0.1/";
    QCOMPARE(http.request(notHttp).error().kind, HttpTransportError::Kind::InvalidUrl);
}

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_httpclient.moc"
