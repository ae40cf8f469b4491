FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

COPY pyproject.toml constraints.txt ./
COPY governance/ governance/
COPY people/ people/
COPY records/ records/
RUN pip install --no-cache-dir -c constraints.txt .

COPY . .
# var/imports: the uploads' folder, which compose mounts as a volume shared with the worker; made
# here so the volume starts out owned by the app user, private.
RUN useradd --create-home app && mkdir -p var/imports && chmod 700 var/imports && chown -R app /app
USER app

EXPOSE 8000
# Migrations and static files at start, so the image runs against whatever database it is given.
CMD ["sh", "-c", "python manage.py migrate --no-input && python manage.py collectstatic --no-input && python manage.py loaddemo && exec gunicorn -c gunicorn.conf.py governance.wsgi:application"]
