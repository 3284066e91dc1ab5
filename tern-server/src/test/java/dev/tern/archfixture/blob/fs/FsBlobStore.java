package dev.tern.archfixture.blob.fs;

/** Breaks rules 5a (imports the S3 adapter) and 5b (uses media beyond the blob port). */
public class FsBlobStore implements dev.tern.archfixture.core.blob.BlobStore {
  dev.tern.archfixture.core.blob.FileRangeInputStream range;
  dev.tern.archfixture.core.media.Thumbnails thumbnails;
  dev.tern.archfixture.blob.s3.S3BlobStore mirror;
}
