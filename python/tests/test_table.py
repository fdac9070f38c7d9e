"""mp_table behaviour (spec §4.2), including the quirks observed on mod_python 3.5."""

import unittest

from mod_python import apache
from mod_python._worker.table import table


class TableTest(unittest.TestCase):
    def test_keys_are_case_insensitive_and_keep_their_case(self):
        t = table()
        t["Content-Type"] = "text/plain"
        self.assertEqual(t["content-type"], "text/plain")
        self.assertEqual(t.keys(), ["Content-Type"])
        self.assertIn("CONTENT-TYPE", t)
        self.assertEqual(t.has_key("content-type"), 1)
        self.assertEqual(t.has_key("nope"), 0)

    def test_add_keeps_duplicates_and_getitem_returns_a_list(self):
        t = table()
        t["Foo"] = "a"
        t.add("foo", "b")
        self.assertEqual(t["FOO"], ["a", "b"])
        self.assertEqual(t.get("foo"), "a")
        self.assertEqual(len(t), 2)
        self.assertEqual(t.items(), [("Foo", "a"), ("foo", "b")])
        self.assertEqual(list(t), ["Foo", "foo"])

    def test_setitem_replaces_every_entry_of_the_key(self):
        t = table([("a", "1"), ("b", "2")])
        t.add("A", "3")
        t["a"] = "x"
        self.assertEqual(t.items(), [("a", "x"), ("b", "2")])

    def test_missing_key_raises_keyerror_but_delete_of_missing_is_silent(self):
        t = table()
        with self.assertRaises(KeyError):
            t["nope"]
        del t["nope"]  # upstream accepts this silently
        self.assertEqual(t.get("nope", "d"), "d")

    def test_values_must_be_latin1_strings(self):
        t = table()
        with self.assertRaisesRegex(TypeError, "not an ISO-8859-1 string"):
            t["x"] = "\u20ac"
        with self.assertRaisesRegex(TypeError, "not an ISO-8859-1 string"):
            t["x"] = 1
        with self.assertRaisesRegex(TypeError, "not an ISO-8859-1 string"):
            t[1] = "x"
        t["l"] = "\xe9"
        self.assertEqual(t["l"], "\xe9")
        t["b"] = b"\xc3\xa9"
        self.assertEqual(t["b"], "\xe9")

    def test_update_and_constructor_convert_with_str(self):
        t = table({"a": 1, 2: "b"})
        self.assertEqual(sorted(t.items()), [("2", "b"), ("a", "1")])
        t.update([("c", 3.5)])
        self.assertEqual(t["c"], "3.5")

    def test_setdefault_stores_empty_string_without_default(self):
        t = table()
        self.assertEqual(t.setdefault("z"), "")
        self.assertEqual(t.setdefault("z", "other"), "")
        self.assertEqual(t.setdefault("y", "v"), "v")

    def test_popitem_returns_and_removes_the_same_first_entry(self):
        t = table([("a", "1"), ("b", "2"), ("c", "3")])
        self.assertEqual(t.popitem(), ("a", "1"))
        self.assertEqual(t.items(), [("b", "2"), ("c", "3")])
        with self.assertRaises(KeyError):
            table().popitem()

    def test_comparison_goes_through_dicts_and_tables_are_unhashable(self):
        self.assertEqual(table({"a": "1"}), {"a": "1"})
        self.assertNotEqual(table({"a": "1"}), {"A": "1"})
        self.assertEqual(table({"a": "1"}), table({"a": "1"}))
        with self.assertRaises(TypeError):
            hash(table())

    def test_copy_clear_and_repr(self):
        t = table({"a": "1"})
        c = t.copy()
        c["b"] = "2"
        self.assertNotIn("b", t)
        self.assertIsInstance(c, table)
        self.assertEqual(repr(t), "{'a': '1'}")
        t.add("b", "2")
        t.add("a", "3")
        self.assertEqual(repr(t), "{'a': '3', 'b': '2', 'a': '1'}")  # last first, like upstream
        self.assertEqual(list(t), ["a", "b", "a"])
        t.clear()
        self.assertEqual(len(t), 0)

    def test_lazy_wire_table_materialises_on_use_and_tracks_changes(self):
        t = table._from_pairs([["Host", "x"], ["Accept", "*/*"]])
        self.assertFalse(t._dirty)
        self.assertEqual(t["host"], "x")
        self.assertFalse(t._dirty)
        t.add("X-A", "1")
        self.assertTrue(t._dirty)
        self.assertEqual(t._to_pairs(), [["Host", "x"], ["Accept", "*/*"], ["X-A", "1"]])
        t._replace_from_wire([["Only", "1"]])
        self.assertEqual(t.items(), [("Only", "1")])
        self.assertFalse(t._dirty)

    def test_is_the_public_apache_table_and_subclassable(self):
        self.assertIs(apache.table, table)
        self.assertIs(apache.make_table, table)

        class Mine(apache.table):
            pass
        m = Mine({"a": "b"})
        self.assertEqual(m["A"], "b")


if __name__ == "__main__":
    unittest.main()
