// S3Client against moto_server with signature checking on: the list calls, retries
// of what S3 calls transient, and addressing.
#include "moto_server.h"
#include "s3_client.h"

#include <QElapsedTimer>
#include <QTest>

using namespace hoist;

class TestS3Client final : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase();
    void listPartsFollowsPages();
    void listMultipartUploadsUnderPrefix();
    void retriesServerErrorsWithBackoff();
    void virtualHostedUrlsNameTheBucketInTheHost();

  private:
    S3Config config() const;

    MotoServer m_moto{true};
    QString m_bucket = QStringLiteral("hoist-client-test");
};

S3Config TestS3Client::config() const {
    S3Config config;
    config.endpoint = m_moto.endpoint().toStdString();
    config.bucket = m_bucket.toStdString();
    config.region = m_moto.region().toStdString();
    config.pathStyle = true;
    config.accessKeyId = m_moto.accessKeyId().toStdString();
    config.secretAccessKey = m_moto.secretAccessKey().toStdString();
    config.maxAttempts = 1;
    return config;
}

void TestS3Client::initTestCase() {
    if (!m_moto.start()) {
        QSKIP(qPrintable(m_moto.errorString()));
    }
    QVERIFY(m_moto.createBucket(m_bucket));
}

void TestS3Client::listPartsFollowsPages() {
    S3Client client(config());
    const auto uploadId = client.createMultipartUpload("paged");
    QVERIFY(uploadId);
    for (int number = 1; number <= 5; ++number) {
        QVERIFY(
            client.uploadPart("paged", *uploadId, number, std::string(100, char('a' + number))));
    }
    const auto parts = client.listParts("paged", *uploadId, 2);
    QVERIFY(parts);
    QCOMPARE(parts->size(), std::size_t(5));
    for (int i = 0; i < 5; ++i) {
        QCOMPARE((*parts)[static_cast<std::size_t>(i)].number, i + 1);
        QCOMPARE((*parts)[static_cast<std::size_t>(i)].size, std::int64_t(100));
        QVERIFY((*parts)[static_cast<std::size_t>(i)].etag.size() > 2);
    }
    QVERIFY(client.abortMultipartUpload("paged", *uploadId));
    const auto gone = client.listParts("paged", *uploadId);
    QVERIFY(!gone);
    QCOMPARE(gone.error().code, S3Error::Code::NoSuchUpload);
}

void TestS3Client::listMultipartUploadsUnderPrefix() {
    S3Client client(config());
    std::vector<std::pair<std::string, std::string>> made;
    for (int i = 0; i < 5; ++i) {
        const std::string key = "list-" + std::to_string(i);
        made.emplace_back(key, *client.createMultipartUpload(key));
    }
    const auto other = client.createMultipartUpload("elsewhere");
    // moto ignores max-uploads and answers in one page, so this checks the prefix and
    // the loop's end, not S3's paging (listParts above does page).
    const auto all = client.listMultipartUploads("list-", SIZE_MAX, 2);
    QVERIFY(all);
    QCOMPARE(all->size(), std::size_t(5));
    for (const S3Upload& upload : *all) {
        QVERIFY(upload.key.rfind("list-", 0) == 0);
        QVERIFY(!upload.uploadId.empty());
        QVERIFY(!upload.initiated.empty());
    }
    for (const auto& [key, uploadId] : made) {
        QVERIFY(client.abortMultipartUpload(key, uploadId));
    }
    QVERIFY(client.abortMultipartUpload("elsewhere", *other));
    QCOMPARE(m_moto.multipartUploads(m_bucket), QStringList());
}

// moto answers 500 to UploadPart for an aborted upload: a server error, so retried
// with backoff (at least 100 + 200 ms for three attempts from a 100 ms base).
void TestS3Client::retriesServerErrorsWithBackoff() {
    S3Config retrying = config();
    retrying.maxAttempts = 3;
    retrying.retryBaseDelay = std::chrono::milliseconds(100);
    S3Client client(retrying);
    const auto uploadId = client.createMultipartUpload("aborted");
    QVERIFY(uploadId);
    QVERIFY(client.abortMultipartUpload("aborted", *uploadId));
    QElapsedTimer timer;
    timer.start();
    const auto part = client.uploadPart("aborted", *uploadId, 1, "bytes");
    QVERIFY(!part);
    if (!part.error().retryable()) {
        QSKIP("this moto answers UploadPart after abort with a non-retryable error");
    }
    QVERIFY2(timer.elapsed() >= 300, qPrintable(QString::number(timer.elapsed())));
}

void TestS3Client::virtualHostedUrlsNameTheBucketInTheHost() {
    S3Config virtualHosted = config();
    virtualHosted.endpoint = "https://s3.eu-west-1.amazonaws.com";
    virtualHosted.region = "eu-west-1";
    virtualHosted.pathStyle = false;
    S3Client client(virtualHosted);
    const std::string url =
        client.presignGet("hoist-a b", std::chrono::seconds(60), std::chrono::system_clock::now());
    QVERIFY2(
        url.rfind("https://" + m_bucket.toStdString() + ".s3.eu-west-1.amazonaws.com/hoist-a%20b?",
                  0) == 0,
        url.c_str());
    QVERIFY(url.find("X-Amz-Credential=" + m_moto.accessKeyId().toStdString() + "%2F") !=
            std::string::npos);
}

QTEST_GUILESS_MAIN(TestS3Client)
#include "tst_s3client.moc"
