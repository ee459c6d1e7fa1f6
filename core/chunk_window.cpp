#include "chunk_window.h"

#include <algorithm>

namespace hoist {

ChunkWindow::ChunkWindow(qint64 size, qint64 chunkSize, int granted, int wanted)
    : m_size(size), m_chunkSize(std::max<qint64>(1, chunkSize)), m_reach(std::max(1, granted)),
      m_limit(std::clamp(wanted, 1, m_reach)), m_window(m_limit) {}

bool ChunkWindow::adopt(qint64 uploadedBytes, const QList<qint64>& storedChunks) {
    bool learned = false;
    if (uploadedBytes > m_prefix) {
        m_prefix = std::min(uploadedBytes, m_size);
        learned = true;
    }
    for (const qint64 index : storedChunks) {
        if (index >= 0 && index * m_chunkSize < m_size && index * m_chunkSize >= m_prefix)
            learned = m_stored.insert(index).second || learned;
    }
    // Stored chunks that join the prefix are part of it on the server too.
    while (m_prefix < m_size && m_prefix % m_chunkSize == 0 &&
           m_stored.count(m_prefix / m_chunkSize) > 0) {
        m_stored.erase(m_prefix / m_chunkSize);
        m_prefix = std::min(m_prefix + m_chunkSize, m_size);
    }
    m_stored.erase(m_stored.begin(),
                   m_stored.lower_bound((m_prefix + m_chunkSize - 1) / m_chunkSize));
    return learned;
}

std::optional<ChunkWindow::Chunk> ChunkWindow::take() {
    if (inFlight() >= m_window)
        return std::nullopt;
    // Offsets count from the prefix: the server's window does (and a tus server's
    // prefix need not be a chunk boundary; its sessions are sequential).
    for (int step = 0; step < m_reach; ++step) {
        const qint64 offset = m_prefix + step * m_chunkSize;
        if (offset >= m_size)
            break;
        if (isStored(offset) || m_inFlight.count(offset) > 0)
            continue;
        m_inFlight.emplace(offset, ++m_sent);
        return Chunk{offset, std::min(m_chunkSize, m_size - offset)};
    }
    return std::nullopt;
}

void ChunkWindow::acknowledged(qint64 offset, qint64 uploadedBytes,
                               const QList<qint64>& storedChunks) {
    release(offset);
    QList<qint64> stored = storedChunks;
    if (offset % m_chunkSize == 0)
        stored.append(offset / m_chunkSize); // a 200 means this chunk is stored
    adopt(uploadedBytes, stored);
    if (++m_ackedSinceGrowth >= m_window && m_window < m_limit) {
        ++m_window;
        m_ackedSinceGrowth = 0;
    }
}

ChunkWindow::Mismatch ChunkWindow::mismatched(qint64 offset, qint64 uploadedBytes,
                                              const QList<qint64>& storedChunks) {
    release(offset);
    bool learned = false;
    if (m_reach == 1 && uploadedBytes != m_prefix) {
        // One request at a time: the answer cannot be stale, so the offset handshake
        // adopts the server's count even when it is lower.
        m_prefix = std::clamp<qint64>(uploadedBytes, 0, m_size);
        m_stored.clear();
        learned = true;
    }
    learned = adopt(uploadedBytes, storedChunks) || learned;
    if (isStored(offset))
        return Mismatch::Stored;
    return learned ? Mismatch::Resend : Mismatch::Refused;
}

void ChunkWindow::failed(qint64 offset) {
    const auto flight = m_inFlight.find(offset);
    const bool newLoss = flight != m_inFlight.end() && flight->second > m_lastCut;
    release(offset);
    if (!newLoss)
        return;
    m_window = std::max(1, m_window / 2);
    m_lastCut = m_sent;
    m_ackedSinceGrowth = 0;
}

qint64 ChunkWindow::confirmedBytes() const {
    qint64 confirmed = m_prefix;
    for (const qint64 index : m_stored)
        confirmed += std::min(m_chunkSize, m_size - index * m_chunkSize);
    return confirmed;
}

bool ChunkWindow::isStored(qint64 offset) const {
    return offset < m_prefix ||
           (offset % m_chunkSize == 0 && m_stored.count(offset / m_chunkSize) > 0);
}

void ChunkWindow::release(qint64 offset) {
    m_inFlight.erase(offset);
}

} // namespace hoist
