package eventports.trace;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A record's fields: an unmodifiable, insertion-ordered map that is a view of the emission
 * site's alternating key/value array, so that emitting a record copies and hashes nothing (a
 * LinkedHashMap per record was most of the cost of tracing). Records carry a handful of
 * fields, so a lookup is a scan. A trailing key without a value is not a field.
 */
final class FieldMap extends AbstractMap<String, Object> {
    private final Object[] kv;

    FieldMap(Object[] kv) {
        this.kv = kv;
    }

    @Override
    public int size() {
        return kv.length / 2;
    }

    private int indexOf(Object key) {
        for (int i = 0; i + 1 < kv.length; i += 2) {
            if (kv[i] == key || kv[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : kv[i + 1];
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return kv.length / 2;
            }

            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i + 1 < kv.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (!hasNext()) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Object> e = new SimpleImmutableEntry<>((String) kv[i], kv[i + 1]);
                        i += 2;
                        return e;
                    }
                };
            }
        };
    }
}
