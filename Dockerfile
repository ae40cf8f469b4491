FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

COPY pyproject.toml constraints.txt ./
COPY governance/ governance/
COPY people/ people/
COPY records/ records/
RUN pip install --no-cache-dir -c constraints.txt .

COPY . .
# var/imports (the uploads) and var/data (the kept SECRET_KEY): folders compose mounts as volumes
# shared with the worker; made here so the volumes start out owned by the app user, private.
RUN useradd --create-home app && mkdir -p var/imports var/data && chmod 700 var/imports var/data \
    && chown -R app /app
USER app

EXPOSE 8000
# Migrations and static files at every start, so the image runs against whatever database it is
# given; both are idempotent (nothing to do the second time). The demo goes only into a database
# with no companies, and only with LOAD_DEMO on (compose turns it on; off by default).
CMD ["sh", "-c", "python manage.py migrate --no-input && python manage.py collectstatic --no-input && python manage.py loaddemo --at-start && exec gunicorn -c gunicorn.conf.py governance.wsgi:application"]
