package dev.tern.archfixture.blob.s3;

public class S3BlobStore implements dev.tern.archfixture.core.blob.BlobStore {}
