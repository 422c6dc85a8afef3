"""Exports (台账) shared by every app: the kinds apps register, the service deciding between an answer inside the
request and a background job, the job's task body and clean-up, and the 我的导出 (my exports) pages.

Apps register their kinds with `exports.registry.register` from AppConfig.ready(); their export views answer
through `exports.responses.answer`. See docs/exports.md.
"""
