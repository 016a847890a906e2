"""Friendly error pages: never a traceback, every unexpected error logged."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db

MESSAGES = {
    400: "The request could not be understood.",
    403: "Your role does not allow this.",
    404: "There is nothing here, or it is not yours to see.",
    405: "That action is not available here.",
    409: "This assessment is final and can no longer be changed.",
    413: "The file is too large.",
    429: "Too many attempts. Please wait a few minutes and try again.",
}


def register(app: Flask) -> None:
    """Install handlers that render templates/error.html for HTTP and unexpected errors."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        message = "Your form expired or was sent from elsewhere. Go back, reload and try again."
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code = error.code or 500
        # A 400 given a description with abort() says what exactly was wrong with the request.
        specific = code == 400 and error.description != type(error).description
        message = error.description if specific else MESSAGES.get(code, "Something went wrong.")
        return render_template("error.html", code=code, message=message), code

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error", exc_info=error)
        message = "Something went wrong on our side. Nothing you entered on this page was saved."
        return render_template("error.html", code=500, message=message), InternalServerError.code
