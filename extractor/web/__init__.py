"""`khplan serve`: the archive in a browser, for an audit team (search, a plan with its findings, targets, upload).

``create_app(WebSettings(db=Path("plans.khplan")))`` builds the FastAPI application: server-rendered Jinja2
pages (every value escaped), a JSON twin under ``/api/…`` of each page that returns what ``khplan … --json``
prints, all reading the archive through ``extractor.archive`` (no SQL here). ``khplan serve`` runs it with
uvicorn, on 127.0.0.1 unless ``--auth`` names a users file.
"""
