// S3 error answers become typed errors, and typed errors the storage seam's kinds.
#include "s3_error.h"
#include "s3_xml.h"

#include <QTest>

using hoist::S3Error;
using hoist::StorageError;

Q_DECLARE_METATYPE(S3Error::Code)
Q_DECLARE_METATYPE(StorageError::Kind)

namespace {

std::string errorXml(const std::string& code, const std::string& message) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" +
           message + "</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>";
}

} // namespace

class TestS3Error final : public QObject {
    Q_OBJECT

  private slots:
    void mapsErrorCodes_data();
    void mapsErrorCodes();
    void statusAloneNamesHeadErrors();
    void describeReadsWell();
    void xmlTextAndElements();
    void xmlEscaping();
};

void TestS3Error::mapsErrorCodes_data() {
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::addColumn<S3Error::Code>("expected");
    QTest::addColumn<bool>("retryable");
    QTest::addColumn<StorageError::Kind>("kind");
    using C = S3Error::Code;
    using K = StorageError::Kind;
    QTest::newRow("NoSuchUpload") << 404 << "NoSuchUpload" << C::NoSuchUpload << false
                                  << K::NotFound;
    QTest::newRow("NoSuchKey") << 404 << "NoSuchKey" << C::NoSuchKey << false << K::NotFound;
    QTest::newRow("NoSuchBucket") << 404 << "NoSuchBucket" << C::NoSuchBucket << false << K::Fatal;
    QTest::newRow("EntityTooSmall")
        << 400 << "EntityTooSmall" << C::EntityTooSmall << false << K::Rejected;
    QTest::newRow("InvalidPart") << 400 << "InvalidPart" << C::InvalidPart << false << K::Rejected;
    QTest::newRow("InvalidPartOrder")
        << 400 << "InvalidPartOrder" << C::InvalidPartOrder << false << K::Rejected;
    QTest::newRow("AccessDenied") << 403 << "AccessDenied" << C::AccessDenied << false << K::Fatal;
    QTest::newRow("InvalidAccessKeyId")
        << 403 << "InvalidAccessKeyId" << C::InvalidAccessKeyId << false << K::Fatal;
    QTest::newRow("SignatureDoesNotMatch")
        << 403 << "SignatureDoesNotMatch" << C::SignatureDoesNotMatch << false << K::Fatal;
    QTest::newRow("SlowDown") << 503 << "SlowDown" << C::SlowDown << true << K::Unavailable;
    QTest::newRow("InternalError")
        << 500 << "InternalError" << C::InternalError << true << K::Unavailable;
    QTest::newRow("RequestTimeout")
        << 400 << "RequestTimeout" << C::RequestTimeout << true << K::Unavailable;
    QTest::newRow("unknown 4xx") << 400 << "MalformedXML" << C::Other << false << K::Fatal;
    QTest::newRow("unknown 5xx") << 502 << "BadGateway" << C::Other << true << K::Unavailable;
}

void TestS3Error::mapsErrorCodes() {
    QFETCH(int, status);
    QFETCH(QString, code);
    QFETCH(S3Error::Code, expected);
    QFETCH(bool, retryable);
    QFETCH(StorageError::Kind, kind);
    const S3Error error = S3Error::fromResponse(status, errorXml(code.toStdString(), "text"));
    QCOMPARE(error.code, expected);
    QCOMPARE(error.codeText, code.toStdString());
    QCOMPARE(error.message, std::string("text"));
    QCOMPARE(error.httpStatus, status);
    QCOMPARE(error.retryable(), retryable);
    const StorageError storage = hoist::toStorageError(error, "UploadPart k");
    QCOMPARE(storage.kind, kind);
    QVERIFY(storage.message.find("UploadPart k: " + code.toStdString()) == 0);
}

void TestS3Error::statusAloneNamesHeadErrors() {
    QCOMPARE(S3Error::fromResponse(403, "").code, S3Error::Code::AccessDenied);
    QCOMPARE(S3Error::fromResponse(503, "").code, S3Error::Code::ServiceUnavailable);
    QVERIFY(S3Error::fromResponse(503, "").retryable());
    QCOMPARE(hoist::toStorageError(S3Error::fromResponse(404, ""), "HeadObject").kind,
             StorageError::Kind::NotFound);
    const S3Error transport = S3Error::transport("Connection");
    QVERIFY(transport.retryable());
    QCOMPARE(hoist::toStorageError(transport, "x").kind, StorageError::Kind::Unavailable);
}

void TestS3Error::describeReadsWell() {
    const S3Error error =
        S3Error::fromResponse(404, errorXml("NoSuchBucket", "The specified bucket does not exist"));
    QCOMPARE(error.describe(),
             std::string("NoSuchBucket (404): The specified bucket does not exist"));
}

void TestS3Error::xmlTextAndElements() {
    const std::string xml =
        "<ListPartsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<Bucket>b</Bucket><Key>a&amp;b &lt;c&gt; &#233;&#x41;</Key><PartNumberMarker/>"
        "<IsTruncated>true</IsTruncated>"
        "<Part><PartNumber>1</PartNumber><ETag>&quot;e1&quot;</ETag><Size>5242880</Size></Part>"
        "<Part>\n<PartNumber>2</PartNumber><ETag>\"e2\"</ETag><Size>7</Size></Part>"
        "</ListPartsResult>";
    QCOMPARE(hoist::s3xml::text(xml, "Key").value(), std::string("a&b <c> \xC3\xA9"
                                                                 "A"));
    QCOMPARE(hoist::s3xml::text(xml, "PartNumberMarker").value(), std::string());
    QVERIFY(!hoist::s3xml::text(xml, "NextPartNumberMarker").has_value());
    QCOMPARE(hoist::s3xml::text(xml, "IsTruncated").value(), std::string("true"));
    // <Part> must not match <PartNumber> or <PartNumberMarker>.
    const auto parts = hoist::s3xml::elements(xml, "Part");
    QCOMPARE(parts.size(), std::size_t(2));
    QCOMPARE(hoist::s3xml::text(parts[0], "ETag").value(), std::string("\"e1\""));
    QCOMPARE(hoist::s3xml::text(parts[1], "PartNumber").value(), std::string("2"));
    QCOMPARE(hoist::s3xml::text(parts[1], "Size").value(), std::string("7"));
    QVERIFY(hoist::s3xml::elements("<A><B>unterminated", "B").empty());
}

void TestS3Error::xmlEscaping() {
    QCOMPARE(hoist::s3xml::escape("\"x\" & <y>"), std::string("&quot;x&quot; &amp; &lt;y&gt;"));
    QCOMPARE(hoist::s3xml::unescape(hoist::s3xml::escape("\"x\" & <y>")),
             std::string("\"x\" & <y>"));
    QCOMPARE(hoist::s3xml::unescape("&bogus; &#xZZ; &"), std::string("&bogus; &#xZZ; &"));
}

QTEST_APPLESS_MAIN(TestS3Error)
#include "tst_s3error.moc"
