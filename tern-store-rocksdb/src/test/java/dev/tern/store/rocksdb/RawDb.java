package dev.tern.store.rocksdb;

import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The database opened directly with RocksJava, to inspect or damage what the store wrote. */
final class RawDb implements AutoCloseable {
    private final DBOptions options = new DBOptions();
    private final ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final List<String> names = new ArrayList<>();
    private final RocksDB db;

    RawDb(Path dir) throws RocksDBException {
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        try (Options listOptions = new Options()) {
            for (byte[] name : RocksDB.listColumnFamilies(listOptions, dir.toString())) {
                descriptors.add(new ColumnFamilyDescriptor(name, cfOptions));
                names.add(new String(name, StandardCharsets.UTF_8));
            }
        }
        db = RocksDB.open(options, dir.toString(), descriptors, handles);
    }

    List<String> families() {
        return names;
    }

    byte[] get(String family, byte[] key) throws RocksDBException {
        return db.get(handles.get(names.indexOf(family)), key);
    }

    void put(String family, byte[] key, byte[] value) throws RocksDBException {
        db.put(handles.get(names.indexOf(family)), key, value);
    }

    /** Every key of a family, in order. */
    List<byte[]> keys(String family) {
        List<byte[]> out = new ArrayList<>();
        try (org.rocksdb.RocksIterator it = db.newIterator(handles.get(names.indexOf(family)))) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(it.key());
            }
        }
        return out;
    }

    void delete(String family, byte[] key) throws RocksDBException {
        db.delete(handles.get(names.indexOf(family)), key);
    }

    /** Drops a column family, as a directory written before it existed would lack it. */
    void dropFamily(String name) throws RocksDBException {
        int i = names.indexOf(name);
        db.dropColumnFamily(handles.get(i));
        handles.remove(i).close();
        names.remove(i);
    }

    void createFamily(String name) throws RocksDBException {
        handles.add(db.createColumnFamily(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8),
                cfOptions)));
        names.add(name);
    }

    @Override
    public void close() {
        handles.forEach(ColumnFamilyHandle::close);
        db.close();
        cfOptions.close();
        options.close();
    }
}
