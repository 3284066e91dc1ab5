package dev.tern.core.store;

/** How a message body is to be read: UTF-8 text, opaque bytes, or an encoded service event. */
public enum BodyKind { TEXT, DATA, SERVICE }
