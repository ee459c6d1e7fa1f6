// SigV4Signer against AWS's published vectors: the generic Signature Version 4 test
// suite (aws-sig-v4-test-suite, 2015-08-30, service "service") and the worked S3
// examples of the S3 API reference (2013-05-24, examplebucket). Where AWS published
// the intermediate strings, they are compared too: a store answers every mistake with
// the same SignatureDoesNotMatch, and only these say which step went wrong.
#include "sigv4_signer.h"

#include <QTest>

#include <ctime>

using hoist::AwsCredentials;
using hoist::SigV4Request;
using hoist::SigV4Signer;

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

std::chrono::system_clock::time_point utc(int year, int month, int day, int hour, int minute) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    return std::chrono::system_clock::from_time_t(timegm(&tm));
}

const AwsCredentials kSuiteKey{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
const AwsCredentials kS3Key{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
const auto kSuiteTime = utc(2015, 8, 30, 12, 36);
const auto kS3Time = utc(2013, 5, 24, 0, 0);
const std::string kEmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const std::string kSessionToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSP"
    "fIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT"
    "7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlz"
    "m8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

SigV4Request suiteRequest(std::string method, std::string path, Pairs query, Pairs extraHeaders,
                          std::string payloadHash = kEmptyHash) {
    SigV4Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    request.query = std::move(query);
    request.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
    request.headers.insert(request.headers.end(), extraHeaders.begin(), extraHeaders.end());
    request.payloadHash = std::move(payloadHash);
    return request;
}

} // namespace

Q_DECLARE_METATYPE(SigV4Request)

class TestSigV4Signer final : public QObject {
    Q_OBJECT

  private slots:
    void suiteVectors_data();
    void suiteVectors();
    void suiteIntermediateStrings_data();
    void suiteIntermediateStrings();
    void signingKeyDerivation();
    void s3Examples_data();
    void s3Examples();
    void presignedUrlExample();
    void presignCarriesSessionToken();
    void uriEncoding();
    void amzDate();
};

// Every vector signs with the suite's key at 20150830T123600Z; `expected` is the
// suite's .authz file.
void TestSigV4Signer::suiteVectors_data() {
    QTest::addColumn<SigV4Request>("request");
    QTest::addColumn<QString>("expected");
    const QString prefix = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/"
                           "aws4_request, ";
    QTest::newRow("get-vanilla")
        << suiteRequest("GET", "/", {}, {})
        << prefix + "SignedHeaders=host;x-amz-date, Signature="
                    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    QTest::newRow("post-vanilla")
        << suiteRequest("POST", "/", {}, {})
        << prefix + "SignedHeaders=host;x-amz-date, Signature="
                    "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b";
    SigV4Request keyCase = suiteRequest("POST", "/", {}, {});
    keyCase.headers[0].first = "HOST";
    keyCase.headers[1].first = "x-amz-date";
    QTest::newRow("post-header-key-case")
        << keyCase
        << prefix + "SignedHeaders=host;x-amz-date, Signature="
                    "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b";
    QTest::newRow("post-header-key-sort")
        << suiteRequest("POST", "/", {}, {{"My-Header1", "value1"}})
        << prefix + "SignedHeaders=host;my-header1;x-amz-date, Signature="
                    "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c";
    QTest::newRow("get-header-value-trim")
        << suiteRequest("GET", "/", {},
                        {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}})
        << prefix + "SignedHeaders=host;my-header1;my-header2;x-amz-date, Signature="
                    "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736";
    QTest::newRow("get-vanilla-empty-query-key")
        << suiteRequest("GET", "/", {{"Param1", "value1"}}, {})
        << prefix + "SignedHeaders=host;x-amz-date, Signature="
                    "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb";
    QTest::newRow("get-vanilla-query-order-key-case")
        << suiteRequest("GET", "/", {{"Param2", "value2"}, {"Param1", "value1"}}, {})
        << prefix + "SignedHeaders=host;x-amz-date, Signature="
                    "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500";
    QTest::newRow("get-unreserved")
        << suiteRequest(
               "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", {}, {})
        << prefix + "SignedHeaders=host;x-amz-date, Signature="
                    "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f";
    QTest::newRow("get-utf8")
        << suiteRequest("GET", "/\xE1\x88\xB4", {}, {})
        << prefix + "SignedHeaders=host;x-amz-date, Signature="
                    "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85";
    QTest::newRow("post-sts-header-before")
        << suiteRequest("POST", "/", {}, {{"X-Amz-Security-Token", kSessionToken}})
        << prefix + "SignedHeaders=host;x-amz-date;x-amz-security-token, Signature="
                    "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead";
}

void TestSigV4Signer::suiteVectors() {
    QFETCH(SigV4Request, request);
    QFETCH(QString, expected);
    const SigV4Signer signer(kSuiteKey, "us-east-1", "service");
    QCOMPARE(QString::fromStdString(signer.sign(request, kSuiteTime).authorization), expected);
}

// The vectors whose .creq and .sts files AWS published.
void TestSigV4Signer::suiteIntermediateStrings_data() {
    QTest::addColumn<SigV4Request>("request");
    QTest::addColumn<QString>("canonicalRequest");
    QTest::addColumn<QString>("stringToSign");
    QTest::addColumn<QString>("signature");
    const QString scope =
        "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n";
    QTest::newRow("get-vanilla")
        << suiteRequest("GET", "/", {}, {})
        << "GET\n/"
           "\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
               QString::fromStdString(kEmptyHash)
        << scope + "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
        << "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
    QTest::newRow("get-vanilla-query-order-key")
        << suiteRequest("GET", "/", {{"Param1", "value2"}, {"Param1", "Value1"}}, {})
        << "GET\n/\nParam1=Value1&Param1=value2\nhost:example.amazonaws.com\n"
           "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
               QString::fromStdString(kEmptyHash)
        << scope + "704b4cef673542d84cdff252633f065e8daeba5f168b77116f8b1bcaf3d38f89"
        << "eedbc4e291e521cf13422ffca22be7d2eb8146eecf653089df300a15b2382bd1";
    QTest::newRow("get-vanilla-query-order-value")
        << suiteRequest("GET", "/", {{"Param1", "value2"}, {"Param1", "value1"}}, {})
        << "GET\n/\nParam1=value1&Param1=value2\nhost:example.amazonaws.com\n"
           "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
               QString::fromStdString(kEmptyHash)
        << scope + "c968629d70850097a2d8781c9bf7edcb988b04cac14cca9be4acc3595f884606"
        << "5772eed61e12b33fae39ee5e7012498b51d56abc0abb7c60486157bd471c4694";
    QTest::newRow("post-x-www-form-urlencoded")
        << suiteRequest("POST", "/", {}, {{"Content-Type", "application/x-www-form-urlencoded"}},
                        SigV4Signer::sha256Hex("Param1=value1"))
        << "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
           "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
           "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"
        << scope + "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281"
        << "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a";
}

void TestSigV4Signer::suiteIntermediateStrings() {
    QFETCH(SigV4Request, request);
    QFETCH(QString, canonicalRequest);
    QFETCH(QString, stringToSign);
    QFETCH(QString, signature);
    const SigV4Signer signer(kSuiteKey, "us-east-1", "service");
    const auto signed_ = signer.sign(request, kSuiteTime);
    QCOMPARE(QString::fromStdString(signed_.canonicalRequest), canonicalRequest);
    QCOMPARE(QString::fromStdString(signed_.stringToSign), stringToSign);
    QCOMPARE(QString::fromStdString(signed_.signature), signature);
}

// The derivation example of AWS's "Examples of how to derive a signing key".
void TestSigV4Signer::signingKeyDerivation() {
    const std::string key = SigV4Signer::signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                                    "20120215", "us-east-1", "iam");
    QCOMPARE(QByteArray::fromStdString(key).toHex(),
             QByteArray("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"));
}

// The S3 API reference's header-based examples (examplebucket, 20130524T000000Z).
void TestSigV4Signer::s3Examples_data() {
    QTest::addColumn<SigV4Request>("request");
    QTest::addColumn<QString>("canonicalRequest");
    QTest::addColumn<QString>("stringToSign");
    QTest::addColumn<QString>("signature");
    const QString scope =
        "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n";
    const std::string host = "examplebucket.s3.amazonaws.com";
    const QString empty = QString::fromStdString(kEmptyHash);

    SigV4Request getObject{"GET",
                           "/test.txt",
                           {},
                           {{"Host", host},
                            {"Range", "bytes=0-9"},
                            {"x-amz-content-sha256", kEmptyHash},
                            {"x-amz-date", "20130524T000000Z"}},
                           kEmptyHash};
    QTest::newRow("GET Object with Range")
        << getObject
        << "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
           "x-amz-content-sha256:" +
               empty +
               "\nx-amz-date:20130524T000000Z\n\n"
               "host;range;x-amz-content-sha256;x-amz-date\n" +
               empty
        << scope + "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
        << "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41";

    const std::string putHash = SigV4Signer::sha256Hex("Welcome to Amazon S3.");
    QCOMPARE(putHash,
             std::string("44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"));
    SigV4Request putObject{"PUT",
                           "/test$file.text",
                           {},
                           {{"Host", host},
                            {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                            {"x-amz-date", "20130524T000000Z"},
                            {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                            {"x-amz-content-sha256", putHash}},
                           putHash};
    QTest::newRow("PUT Object")
        << putObject
        << "PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013 00:00:00 GMT\n"
           "host:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:" +
               QString::fromStdString(putHash) +
               "\nx-amz-date:20130524T000000Z\nx-amz-storage-class:REDUCED_REDUNDANCY\n\n"
               "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n" +
               QString::fromStdString(putHash)
        << scope + "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d"
        << "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd";

    const Pairs listHeaders{
        {"Host", host}, {"x-amz-date", "20130524T000000Z"}, {"x-amz-content-sha256", kEmptyHash}};
    QTest::newRow("GET Bucket Lifecycle")
        << SigV4Request{"GET", "/", {{"lifecycle", ""}}, listHeaders, kEmptyHash}
        << "GET\n/\nlifecycle=\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:" +
               empty + "\nx-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n" +
               empty
        << scope + "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca"
        << "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543";
    QTest::newRow("GET Bucket (List Objects)")
        << SigV4Request{"GET", "/", {{"prefix", "J"}, {"max-keys", "2"}}, listHeaders, kEmptyHash}
        << "GET\n/"
           "\nmax-keys=2&prefix=J\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:" +
               empty + "\nx-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n" +
               empty
        << scope + "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7"
        << "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7";
}

void TestSigV4Signer::s3Examples() {
    QFETCH(SigV4Request, request);
    QFETCH(QString, canonicalRequest);
    QFETCH(QString, stringToSign);
    QFETCH(QString, signature);
    const SigV4Signer signer(kS3Key, "us-east-1", "s3");
    const auto signed_ = signer.sign(request, kS3Time);
    QCOMPARE(QString::fromStdString(signed_.canonicalRequest), canonicalRequest);
    QCOMPARE(QString::fromStdString(signed_.stringToSign), stringToSign);
    QCOMPARE(QString::fromStdString(signed_.signature), signature);
}

// The S3 API reference's query-string (presigned URL) example: GET test.txt for 86400 s.
void TestSigV4Signer::presignedUrlExample() {
    const SigV4Signer signer(kS3Key, "us-east-1", "s3");
    SigV4Request request;
    request.method = "GET";
    request.path = "/test.txt";
    request.headers = {{"host", "examplebucket.s3.amazonaws.com"}};
    const std::string query = signer.presignQuery(request, kS3Time, std::chrono::seconds(86400));
    QCOMPARE(
        QString::fromStdString(query),
        QString(
            "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
            "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
            "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"));
}

void TestSigV4Signer::presignCarriesSessionToken() {
    const SigV4Signer signer({"AKID", "secret", "token/with+chars="}, "eu-west-1", "s3");
    SigV4Request request;
    request.method = "GET";
    request.path = "/bucket/key";
    request.headers = {{"host", "s3.example.test"}};
    const std::string query = signer.presignQuery(request, kS3Time, std::chrono::seconds(60));
    QVERIFY(query.find("X-Amz-Security-Token=token%2Fwith%2Bchars%3D&") != std::string::npos);
    QVERIFY(query.find("X-Amz-Credential=AKID%2F20130524%2Feu-west-1%2Fs3%2Faws4_request") !=
            std::string::npos);
}

void TestSigV4Signer::uriEncoding() {
    QCOMPARE(SigV4Signer::uriEncode("a b/c+d~e_f.g-h", false), std::string("a%20b/c%2Bd~e_f.g-h"));
    QCOMPARE(SigV4Signer::uriEncode("a/b=c&d", true), std::string("a%2Fb%3Dc%26d"));
    QCOMPARE(SigV4Signer::uriEncode("\xE1\x88\xB4", true), std::string("%E1%88%B4"));
}

void TestSigV4Signer::amzDate() {
    QCOMPARE(SigV4Signer::amzDate(kSuiteTime), std::string("20150830T123600Z"));
}

QTEST_APPLESS_MAIN(TestSigV4Signer)
#include "tst_sigv4signer.moc"
