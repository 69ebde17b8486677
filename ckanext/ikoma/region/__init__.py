"""The region at a glance (/region): the plan's KPI over time and standard-dataset coverage by
municipality. kpi.py and coverage.py read CKAN; chart.py is pure."""
