#include "share_links.h"

#include "protocol_client_factory.h"
#include "upload_queue.h"

namespace hoist {

ShareLinks::ShareLinks(UploadQueue& queue, ProtocolClientFactory& clients, QObject* parent)
    : QObject(parent), m_queue(queue), m_clients(clients) {}

bool ShareLinks::canShare(const JobRecord& record) {
    return isDone(record.state) && !record.fileId.isEmpty();
}

bool ShareLinks::canShare(int row) const {
    const UploadJob* job = m_queue.job(row);
    return job && canShare(job->record());
}

void ShareLinks::request(int row, std::optional<qint64> expiresIn) {
    const UploadJob* job = m_queue.job(row);
    if (!job)
        return;
    const JobRecord record = job->record();
    if (!canShare(record)) {
        emit linkFailed(record.path, tr("only a finished upload can be shared"));
        return;
    }
    ProtocolClient* client = m_clients.clientFor(record.server, record.protocol);
    QCoro::connect(client->createShareLink(record.fileId, expiresIn), this,
                   [this, path = record.path](const Result<ShareLink>& link) {
                       if (link)
                           emit linkCreated(path, *link);
                       else
                           emit linkFailed(path, link.error().describe());
                   });
}

QCoro::Task<Result<ShareLink>> ShareLinks::create(ProtocolClientFactory& clients, QUrl server,
                                                  QString fileId, std::optional<qint64> expiresIn) {
    ProtocolClient* client = clients.clientFor(server, Protocol::Native);
    co_return co_await client->createShareLink(std::move(fileId), expiresIn);
}

} // namespace hoist
