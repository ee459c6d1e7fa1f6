"""The S3 baseline: a plain boto3 multipart upload of one file, 8 MiB parts sent one
at a time (use_threads=False), the same shape as hoistd's sequential chunks. Prints
one JSON line with the timing, like upload_driver.

    python3 boto3_multipart.py ENDPOINT BUCKET KEY FILE
"""

import json
import os
import sys
import time

import boto3
from boto3.s3.transfer import TransferConfig

MIB = 1024 * 1024


def main():
    endpoint, bucket, key, path = sys.argv[1:5]
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    config = TransferConfig(multipart_threshold=8 * MIB, multipart_chunksize=8 * MIB,
                            use_threads=False)
    size = os.path.getsize(path)
    began = time.monotonic()
    s3.upload_file(path, bucket, key, Config=config)
    seconds = time.monotonic() - began
    print(json.dumps({"uploads": 1, "bytes": size, "seconds": seconds,
                      "mibPerSecond": size / MIB / seconds, "errors": 0, "firstError": ""}))


if __name__ == "__main__":
    main()
