-- A file name in git is bytes (any byte but NUL), and text cannot hold one that is not UTF-8:
-- paths are stored as their exact bytes. bytea compares bytewise, which is git's path order.
ALTER TABLE pending_changes ALTER COLUMN path TYPE bytea USING convert_to(path, 'UTF8');
ALTER TABLE project_events ALTER COLUMN path TYPE bytea USING convert_to(path, 'UTF8');
