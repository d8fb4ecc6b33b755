from typing import Any
import pytest
def test_x(django_db_setup: Any, django_db_blocker: Any) -> None:
    from django.db import connection
    with django_db_blocker.unblock():
        print("NAME", connection.settings_dict["NAME"])
        with connection.cursor() as c:
            c.execute("show search_path"); print(c.fetchall())
            c.execute("select current_database()"); print(c.fetchall())
            c.execute("select tablename from pg_tables where schemaname='public' limit 5"); print(c.fetchall())
