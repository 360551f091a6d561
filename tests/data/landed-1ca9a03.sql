-- A database written by the app as landed on main at commit 1ca9a03 (2026-11-30):
-- python -m hotspots init, one staff account, a partial 2022-H2 review, one added hotspot,
-- an activity status, a priority and a text edit. Test passwords only. Used by tests/test_migrations.py.
BEGIN TRANSACTION;
CREATE TABLE activity_status (
	activity_id VARCHAR(12) NOT NULL, 
	period VARCHAR(7) NOT NULL, 
	status VARCHAR(16) NOT NULL, 
	note TEXT NOT NULL, 
	updated_at VARCHAR(32) NOT NULL, 
	updated_by VARCHAR(80) NOT NULL, 
	PRIMARY KEY (activity_id, period)
);
INSERT INTO "activity_status" VALUES('1.7.5','2022-H2','in_progress','takim mujor','2026-12-01T10:52:29+00:00','anila');
CREATE TABLE history (
	id INTEGER NOT NULL, 
	at VARCHAR(32) NOT NULL, 
	author VARCHAR(80) NOT NULL, 
	action VARCHAR(32) NOT NULL, 
	entity VARCHAR(20) NOT NULL, 
	entity_id VARCHAR(60) NOT NULL, 
	period VARCHAR(7), 
	"before" TEXT, 
	"after" TEXT, 
	PRIMARY KEY (id)
);
INSERT INTO "history" VALUES(1,'2026-12-01T10:52:21+00:00','cli:root','baseline','hotspot','H-1.7-01','2022-H1',NULL,'{"id": "H-1.7-01", "category": "crime", "problem": "1.7", "name": "Në lagjen \"Emin Matraxhiu\" Rruga \"Borodin Mitarja\" pranë piceri Jurevi, parku i lojërave midis 2 pallateve", "name_en": "Emin Matraxhiu quarter, Borodin Mitarja street near pizzeria Jurevi: the playground between two apartment blocks", "description": "", "plan_unit": 1, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:21+00:00", "created_by": "cli:root", "observation": {"geometry_wkt": null, "status": "active", "unit": null, "location_quality": "unlocated", "location_source": "no public source locates Rr. Borodin Mitarja or pizzeria Jurevi", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(2,'2026-12-01T10:52:21+00:00','cli:root','baseline','hotspot','H-1.7-02','2022-H1',NULL,'{"id": "H-1.7-02", "category": "crime", "problem": "1.7", "name": "Lagja \"Emin Matraxhiu\" Rruga \"Besim Qorri\" prapa stadiumit e prapa pishinës së vjetër", "name_en": "Emin Matraxhiu quarter, Besim Qorri street, behind the stadium and the old swimming pool", "description": "", "plan_unit": 1, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:21+00:00", "created_by": "cli:root", "observation": {"geometry_wkt": "POINT (20.091992 41.115875)", "status": "active", "unit": 1, "location_quality": "landmark", "location_source": "anchored on Elbasan Arena (stadium), Wikipedia ''Elbasan Arena'' 41.115875, 20.091992; the street and the pool are not located", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(3,'2026-12-01T10:52:21+00:00','cli:root','baseline','hotspot','H-1.7-03','2022-H1',NULL,'{"id": "H-1.7-03", "category": "crime", "problem": "1.7", "name": "Lagja \"Emin Matraxhiu\" në Krastë pranë pompave të ujit të pijshëm në fund të asfaltit", "name_en": "Emin Matraxhiu quarter, in Krastë near the drinking-water pumps where the asphalt ends", "description": "", "plan_unit": 1, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:21+00:00", "created_by": "cli:root", "observation": {"geometry_wkt": null, "status": "active", "unit": null, "location_quality": "unlocated", "location_source": "Krastë = the hills on the city''s east side; the pumps are not located", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(4,'2026-12-01T10:52:21+00:00','cli:root','baseline','hotspot','H-1.7-04','2022-H1',NULL,'{"id": "H-1.7-04", "category": "crime", "problem": "1.7", "name": "Tek stacioni i trenit", "name_en": "At the train station", "description": "", "plan_unit": 3, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:21+00:00", "created_by": "cli:root", "observation": {"geometry_wkt": "POINT (20.0747 41.105)", "status": "active", "unit": 3, "location_quality": "exact", "location_source": "Wikipedia ''Elbasan railway station'' 41.1050, 20.0747", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(5,'2026-12-01T10:52:21+00:00','cli:root','baseline','hotspot','H-1.7-05','2022-H1',NULL,'{"id": "H-1.7-05", "category": "crime", "problem": "1.7", "name": "Lagja \"Kala\" tek ish shkolla \"Ahmet Dakli\"", "name_en": "Kala quarter, at the former school \"Ahmet Dakli\"", "description": "", "plan_unit": 4, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:21+00:00", "created_by": "cli:root", "observation": {"geometry_wkt": "POLYGON ((20.0776182 41.112981, 20.077659 41.1133328, 20.0777898 41.1136718, 20.0780056 41.113985, 20.078298 41.1142603, 20.0786558 41.1144872, 20.0790652 41.114657, 20.0795106 41.1147631, 20.0799748 41.1148014, 20.08044 41.1147705, 20.0808883 41.1146715, 20.0813024 41.1145084, 20.0816665 41.1142872, 20.0819665 41.1140166, 20.0821909 41.1137069, 20.0823312 41.1133701, 20.0823818 41.113019, 20.082341 41.1126672, 20.0822101 41.1123282, 20.0819944 41.112015, 20.081702 41.1117397, 20.0813442 41.1115128, 20.0809347 41.111343, 20.0804893 41.1112369, 20.0800251 41.1111986, 20.07956 41.1112295, 20.0791118 41.1113285, 20.0786977 41.1114916, 20.0783336 41.1117128, 20.0780336 41.1119834, 20.0778091 41.112293, 20.0776688 41.1126299, 20.0776182 41.112981))", "status": "active", "unit": 4, "location_quality": "approximate", "location_source": "zone of 200 m around Elbasan Castle (Wikipedia 41.113, 20.080); the school itself is not located", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(6,'2026-12-01T10:52:21+00:00','cli:root','baseline','hotspot','H-1.7-06','2022-H1',NULL,'{"id": "H-1.7-06", "category": "crime", "problem": "1.7", "name": "Lagja \"Partizani\" pranë sheshit të Saraçëve", "name_en": "Partizani quarter, near the Saraçëve square", "description": "", "plan_unit": 4, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:21+00:00", "created_by": "cli:root", "observation": {"geometry_wkt": null, "status": "active", "unit": null, "location_quality": "unlocated", "location_source": "no public source locates Sheshi i Saraçëve or the Partizani quarter", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(7,'2026-12-01T10:52:21+00:00','cli:root','baseline','hotspot','H-1.7-07','2022-H1',NULL,'{"id": "H-1.7-07", "category": "crime", "problem": "1.7", "name": "Rruga \"Mustafa Demiri\" tek qendra shëndetësore", "name_en": "Mustafa Demiri street, at the health centre", "description": "", "plan_unit": 6, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:21+00:00", "created_by": "cli:root", "observation": {"geometry_wkt": null, "status": "active", "unit": null, "location_quality": "unlocated", "location_source": "no public source found", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(8,'2026-12-01T10:52:21+00:00','cli:root','baseline','hotspot','H-1.7-08','2022-H1',NULL,'{"id": "H-1.7-08", "category": "crime", "problem": "1.7", "name": "Rruga \"Buharedin Mitarja\" tek ura (poshtë urës)", "name_en": "Buharedin Mitarja street, at (under) the bridge", "description": "", "plan_unit": 6, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:21+00:00", "created_by": "cli:root", "observation": {"geometry_wkt": null, "status": "active", "unit": null, "location_quality": "unlocated", "location_source": "no public source found", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(9,'2026-12-01T10:52:21+00:00','cli:root','baseline','hotspot','H-1.7-09','2022-H1',NULL,'{"id": "H-1.7-09", "category": "crime", "problem": "1.7", "name": "Tek parku \"Rinia\" pjesa e betoneve nëntoke", "name_en": "Rinia park, the underground concrete part", "description": "", "plan_unit": 6, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:21+00:00", "created_by": "cli:root", "observation": {"geometry_wkt": null, "status": "active", "unit": null, "location_quality": "unlocated", "location_source": "the park exists (press 2018-2019) but no coordinates were found", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(10,'2026-12-01T10:52:21+00:00','cli:root','baseline','hotspot','H-1.10-01','2022-H1',NULL,'{"id": "H-1.10-01", "category": "street_children", "problem": "1.10", "name": "Kryqëzimi pranë “Konstantin Kristoforidhit”", "name_en": "The crossroads near “Konstantin Kristoforidhi”", "description": "", "plan_unit": null, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:21+00:00", "created_by": "cli:root", "observation": {"geometry_wkt": "POINT (20.0804 41.1155)", "status": "active", "unit": 4, "location_quality": "approximate", "location_source": "ambiguous target: St Mary''s Church (Wikipedia 41.1155, 20.0804), beside Kristoforidhi''s grave and former school; the crossroads itself is not located", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(11,'2026-12-01T10:52:21+00:00','cli:root','baseline','hotspot','H-1.10-02','2022-H1',NULL,'{"id": "H-1.10-02", "category": "street_children", "problem": "1.10", "name": "Zona nga Stadiumi, Bulevardi kryesor deri në fillim të fushës së Loparit", "name_en": "From the stadium along the main boulevard to the start of the Lopar field", "description": "", "plan_unit": null, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:21+00:00", "created_by": "cli:root", "observation": {"geometry_wkt": "LINESTRING (20.0778431 41.110415, 20.0882503 41.1148913, 20.091992 41.115875)", "status": "active", "unit": 4, "location_quality": "approximate", "location_source": "stadium (Wikipedia) -> Bulevardi Qemal Stafa vertices (third-party address 41.11489, 20.08825; OSM node 12453469602); the Lopar field end is not located", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(12,'2026-12-01T10:52:21+00:00','cli:root','baseline','hotspot','H-1.10-03','2022-H1',NULL,'{"id": "H-1.10-03", "category": "street_children", "problem": "1.10", "name": "Zona pranë Universitetit “Aleksandër Xhuvani”", "name_en": "Near the “Aleksandër Xhuvani” University", "description": "", "plan_unit": null, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:21+00:00", "created_by": "cli:root", "observation": {"geometry_wkt": "POLYGON ((20.077552 41.1220406, 20.0775826 41.1223045, 20.0776807 41.1225587, 20.0778426 41.1227936, 20.0780619 41.1230001, 20.0783303 41.1231703, 20.0786374 41.1232976, 20.0789715 41.1233772, 20.0793197 41.1234059, 20.0796686 41.1233828, 20.0800049 41.1233086, 20.0803155 41.1231862, 20.0805886 41.1230203, 20.0808137 41.1228174, 20.080982 41.1225851, 20.0810872 41.1223325, 20.0811252 41.1220692, 20.0810946 41.1218053, 20.0809964 41.1215511, 20.0808346 41.1213162, 20.0806153 41.1211097, 20.0803469 41.1209395, 20.0800397 41.1208122, 20.0797057 41.1207326, 20.0793575 41.1207039, 20.0790086 41.120727, 20.0786723 41.1208012, 20.0783617 41.1209236, 20.0780886 41.1210895, 20.0778636 41.1212924, 20.0776952 41.1215247, 20.07759 41.1217773, 20.077552 41.1220406))", "status": "active", "unit": 6, "location_quality": "landmark", "location_source": "zone of 150 m around the university, de.wikipedia ''Universität Elbasan'' 41.12206, 20.07934", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(13,'2026-12-01T10:52:21+00:00','cli:root','baseline','hotspot','H-1.10-04','2022-H1',NULL,'{"id": "H-1.10-04", "category": "street_children", "problem": "1.10", "name": "Zona pranë kolaudimit të mjeteve", "name_en": "Near the vehicle-inspection centre", "description": "", "plan_unit": null, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:21+00:00", "created_by": "cli:root", "observation": {"geometry_wkt": null, "status": "active", "unit": null, "location_quality": "unlocated", "location_source": "no public source locates the vehicle-inspection centre", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(14,'2026-12-01T10:52:21+00:00','cli:root','baseline','hotspot','H-1.10-05','2022-H1',NULL,'{"id": "H-1.10-05", "category": "street_children", "problem": "1.10", "name": "Rruga Ibrahim Dinçi", "name_en": "Ibrahim Dinçi street", "description": "", "plan_unit": null, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:21+00:00", "created_by": "cli:root", "observation": {"geometry_wkt": null, "status": "active", "unit": null, "location_quality": "unlocated", "location_source": "no public source found", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(15,'2026-12-01T10:52:22+00:00','system','add','user','admin',NULL,NULL,'{"role": "admin"}');
INSERT INTO "history" VALUES(16,'2026-12-01T10:52:25+00:00','cli:root','add','user','anila',NULL,NULL,'{"role": "staff"}');
INSERT INTO "history" VALUES(17,'2026-12-01T10:52:29+00:00','anila','review:moved','observation','H-1.7-04','2022-H2',NULL,'{"geometry_wkt": "POINT (20.0815 41.108)", "status": "active", "unit": 4, "location_quality": "approximate", "location_source": "moved at review 2022-H2", "notes": "", "moved_from": "2022-H1"}');
INSERT INTO "history" VALUES(18,'2026-12-01T10:52:29+00:00','anila','review:resolved','observation','H-1.7-01','2022-H2',NULL,'{"geometry_wkt": null, "status": "resolved", "unit": null, "location_quality": "unlocated", "location_source": "no public source locates Rr. Borodin Mitarja or pizzeria Jurevi", "notes": "", "moved_from": null}');
INSERT INTO "history" VALUES(19,'2026-12-01T10:52:29+00:00','anila','review:persists','observation','H-1.10-01','2022-H2',NULL,'{"geometry_wkt": "POINT (20.0804 41.1155)", "status": "active", "unit": 4, "location_quality": "approximate", "location_source": "ambiguous target: St Mary''s Church (Wikipedia 41.1155, 20.0804), beside Kristoforidhi''s grave and former school; the crossroads itself is not located", "notes": "ende aktiv – shënim i brendshëm", "moved_from": null}');
INSERT INTO "history" VALUES(20,'2026-12-01T10:52:29+00:00','anila','add','hotspot','H-1.7-10','2022-H2',NULL,'{"id": "H-1.7-10", "category": "crime", "problem": "1.7", "name": "Tek tregu i fruta-perimeve, Lagjja “Kala”", "name_en": "", "description": "", "plan_unit": null, "activities": "", "dataset": "real", "created_at": "2026-12-01T10:52:29+00:00", "created_by": "anila", "observation": {"geometry_wkt": "POINT (20.085 41.1105)", "status": "active", "unit": 4, "location_quality": "approximate", "location_source": "vëzhgim në terren", "notes": "", "moved_from": null}}');
INSERT INTO "history" VALUES(21,'2026-12-01T10:52:29+00:00','anila','set','activity','1.7.5','2022-H2',NULL,'{"status": "in_progress", "note": "takim mujor"}');
INSERT INTO "history" VALUES(22,'2026-12-01T10:52:29+00:00','anila','set','priority','1.6','2022-H2',NULL,'{"priority": "moderate"}');
INSERT INTO "history" VALUES(23,'2026-12-01T10:52:29+00:00','anila','edit','hotspot','H-1.7-02',NULL,'{"description": ""}','{"description": "Përshkrim i ri me ë dhe ç"}');
CREATE TABLE hotspots (
	id VARCHAR(40) NOT NULL, 
	category VARCHAR(20) NOT NULL, 
	problem VARCHAR(8) NOT NULL, 
	name TEXT NOT NULL, 
	name_en TEXT NOT NULL, 
	description TEXT NOT NULL, 
	plan_unit INTEGER, 
	activities TEXT NOT NULL, 
	dataset VARCHAR(10) NOT NULL, 
	created_at VARCHAR(32) NOT NULL, 
	created_by VARCHAR(80) NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "hotspots" VALUES('H-1.7-01','crime','1.7','Në lagjen "Emin Matraxhiu" Rruga "Borodin Mitarja" pranë piceri Jurevi, parku i lojërave midis 2 pallateve','Emin Matraxhiu quarter, Borodin Mitarja street near pizzeria Jurevi: the playground between two apartment blocks','',1,'','real','2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "hotspots" VALUES('H-1.7-02','crime','1.7','Lagja "Emin Matraxhiu" Rruga "Besim Qorri" prapa stadiumit e prapa pishinës së vjetër','Emin Matraxhiu quarter, Besim Qorri street, behind the stadium and the old swimming pool','Përshkrim i ri me ë dhe ç',1,'','real','2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "hotspots" VALUES('H-1.7-03','crime','1.7','Lagja "Emin Matraxhiu" në Krastë pranë pompave të ujit të pijshëm në fund të asfaltit','Emin Matraxhiu quarter, in Krastë near the drinking-water pumps where the asphalt ends','',1,'','real','2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "hotspots" VALUES('H-1.7-04','crime','1.7','Tek stacioni i trenit','At the train station','',3,'','real','2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "hotspots" VALUES('H-1.7-05','crime','1.7','Lagja "Kala" tek ish shkolla "Ahmet Dakli"','Kala quarter, at the former school "Ahmet Dakli"','',4,'','real','2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "hotspots" VALUES('H-1.7-06','crime','1.7','Lagja "Partizani" pranë sheshit të Saraçëve','Partizani quarter, near the Saraçëve square','',4,'','real','2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "hotspots" VALUES('H-1.7-07','crime','1.7','Rruga "Mustafa Demiri" tek qendra shëndetësore','Mustafa Demiri street, at the health centre','',6,'','real','2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "hotspots" VALUES('H-1.7-08','crime','1.7','Rruga "Buharedin Mitarja" tek ura (poshtë urës)','Buharedin Mitarja street, at (under) the bridge','',6,'','real','2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "hotspots" VALUES('H-1.7-09','crime','1.7','Tek parku "Rinia" pjesa e betoneve nëntoke','Rinia park, the underground concrete part','',6,'','real','2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "hotspots" VALUES('H-1.10-01','street_children','1.10','Kryqëzimi pranë “Konstantin Kristoforidhit”','The crossroads near “Konstantin Kristoforidhi”','',NULL,'','real','2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "hotspots" VALUES('H-1.10-02','street_children','1.10','Zona nga Stadiumi, Bulevardi kryesor deri në fillim të fushës së Loparit','From the stadium along the main boulevard to the start of the Lopar field','',NULL,'','real','2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "hotspots" VALUES('H-1.10-03','street_children','1.10','Zona pranë Universitetit “Aleksandër Xhuvani”','Near the “Aleksandër Xhuvani” University','',NULL,'','real','2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "hotspots" VALUES('H-1.10-04','street_children','1.10','Zona pranë kolaudimit të mjeteve','Near the vehicle-inspection centre','',NULL,'','real','2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "hotspots" VALUES('H-1.10-05','street_children','1.10','Rruga Ibrahim Dinçi','Ibrahim Dinçi street','',NULL,'','real','2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "hotspots" VALUES('H-1.7-10','crime','1.7','Tek tregu i fruta-perimeve, Lagjja “Kala”','','',NULL,'','real','2026-12-01T10:52:29+00:00','anila');
CREATE TABLE meta (
	"key" VARCHAR(40) NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY ("key")
);
CREATE TABLE observations (
	id INTEGER NOT NULL, 
	hotspot_id VARCHAR(40) NOT NULL, 
	period VARCHAR(7) NOT NULL, 
	geometry_wkt TEXT, 
	status VARCHAR(12) NOT NULL, 
	unit INTEGER, 
	location_quality VARCHAR(12) NOT NULL, 
	location_source TEXT NOT NULL, 
	notes TEXT NOT NULL, 
	moved_from VARCHAR(7), 
	updated_at VARCHAR(32) NOT NULL, 
	updated_by VARCHAR(80) NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT one_observation_per_period UNIQUE (hotspot_id, period), 
	FOREIGN KEY(hotspot_id) REFERENCES hotspots (id)
);
INSERT INTO "observations" VALUES(1,'H-1.7-01','2022-H1',NULL,'active',NULL,'unlocated','no public source locates Rr. Borodin Mitarja or pizzeria Jurevi','',NULL,'2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "observations" VALUES(2,'H-1.7-02','2022-H1','POINT (20.091992 41.115875)','active',1,'landmark','anchored on Elbasan Arena (stadium), Wikipedia ''Elbasan Arena'' 41.115875, 20.091992; the street and the pool are not located','',NULL,'2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "observations" VALUES(3,'H-1.7-03','2022-H1',NULL,'active',NULL,'unlocated','Krastë = the hills on the city''s east side; the pumps are not located','',NULL,'2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "observations" VALUES(4,'H-1.7-04','2022-H1','POINT (20.0747 41.105)','active',3,'exact','Wikipedia ''Elbasan railway station'' 41.1050, 20.0747','',NULL,'2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "observations" VALUES(5,'H-1.7-05','2022-H1','POLYGON ((20.0776182 41.112981, 20.077659 41.1133328, 20.0777898 41.1136718, 20.0780056 41.113985, 20.078298 41.1142603, 20.0786558 41.1144872, 20.0790652 41.114657, 20.0795106 41.1147631, 20.0799748 41.1148014, 20.08044 41.1147705, 20.0808883 41.1146715, 20.0813024 41.1145084, 20.0816665 41.1142872, 20.0819665 41.1140166, 20.0821909 41.1137069, 20.0823312 41.1133701, 20.0823818 41.113019, 20.082341 41.1126672, 20.0822101 41.1123282, 20.0819944 41.112015, 20.081702 41.1117397, 20.0813442 41.1115128, 20.0809347 41.111343, 20.0804893 41.1112369, 20.0800251 41.1111986, 20.07956 41.1112295, 20.0791118 41.1113285, 20.0786977 41.1114916, 20.0783336 41.1117128, 20.0780336 41.1119834, 20.0778091 41.112293, 20.0776688 41.1126299, 20.0776182 41.112981))','active',4,'approximate','zone of 200 m around Elbasan Castle (Wikipedia 41.113, 20.080); the school itself is not located','',NULL,'2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "observations" VALUES(6,'H-1.7-06','2022-H1',NULL,'active',NULL,'unlocated','no public source locates Sheshi i Saraçëve or the Partizani quarter','',NULL,'2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "observations" VALUES(7,'H-1.7-07','2022-H1',NULL,'active',NULL,'unlocated','no public source found','',NULL,'2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "observations" VALUES(8,'H-1.7-08','2022-H1',NULL,'active',NULL,'unlocated','no public source found','',NULL,'2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "observations" VALUES(9,'H-1.7-09','2022-H1',NULL,'active',NULL,'unlocated','the park exists (press 2018-2019) but no coordinates were found','',NULL,'2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "observations" VALUES(10,'H-1.10-01','2022-H1','POINT (20.0804 41.1155)','active',4,'approximate','ambiguous target: St Mary''s Church (Wikipedia 41.1155, 20.0804), beside Kristoforidhi''s grave and former school; the crossroads itself is not located','',NULL,'2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "observations" VALUES(11,'H-1.10-02','2022-H1','LINESTRING (20.0778431 41.110415, 20.0882503 41.1148913, 20.091992 41.115875)','active',4,'approximate','stadium (Wikipedia) -> Bulevardi Qemal Stafa vertices (third-party address 41.11489, 20.08825; OSM node 12453469602); the Lopar field end is not located','',NULL,'2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "observations" VALUES(12,'H-1.10-03','2022-H1','POLYGON ((20.077552 41.1220406, 20.0775826 41.1223045, 20.0776807 41.1225587, 20.0778426 41.1227936, 20.0780619 41.1230001, 20.0783303 41.1231703, 20.0786374 41.1232976, 20.0789715 41.1233772, 20.0793197 41.1234059, 20.0796686 41.1233828, 20.0800049 41.1233086, 20.0803155 41.1231862, 20.0805886 41.1230203, 20.0808137 41.1228174, 20.080982 41.1225851, 20.0810872 41.1223325, 20.0811252 41.1220692, 20.0810946 41.1218053, 20.0809964 41.1215511, 20.0808346 41.1213162, 20.0806153 41.1211097, 20.0803469 41.1209395, 20.0800397 41.1208122, 20.0797057 41.1207326, 20.0793575 41.1207039, 20.0790086 41.120727, 20.0786723 41.1208012, 20.0783617 41.1209236, 20.0780886 41.1210895, 20.0778636 41.1212924, 20.0776952 41.1215247, 20.07759 41.1217773, 20.077552 41.1220406))','active',6,'landmark','zone of 150 m around the university, de.wikipedia ''Universität Elbasan'' 41.12206, 20.07934','',NULL,'2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "observations" VALUES(13,'H-1.10-04','2022-H1',NULL,'active',NULL,'unlocated','no public source locates the vehicle-inspection centre','',NULL,'2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "observations" VALUES(14,'H-1.10-05','2022-H1',NULL,'active',NULL,'unlocated','no public source found','',NULL,'2026-12-01T10:52:21+00:00','cli:root');
INSERT INTO "observations" VALUES(15,'H-1.7-04','2022-H2','POINT (20.0815 41.108)','active',4,'approximate','moved at review 2022-H2','','2022-H1','2026-12-01T10:52:29+00:00','anila');
INSERT INTO "observations" VALUES(16,'H-1.7-01','2022-H2',NULL,'resolved',NULL,'unlocated','no public source locates Rr. Borodin Mitarja or pizzeria Jurevi','',NULL,'2026-12-01T10:52:29+00:00','anila');
INSERT INTO "observations" VALUES(17,'H-1.10-01','2022-H2','POINT (20.0804 41.1155)','active',4,'approximate','ambiguous target: St Mary''s Church (Wikipedia 41.1155, 20.0804), beside Kristoforidhi''s grave and former school; the crossroads itself is not located','ende aktiv – shënim i brendshëm',NULL,'2026-12-01T10:52:29+00:00','anila');
INSERT INTO "observations" VALUES(18,'H-1.7-10','2022-H2','POINT (20.085 41.1105)','active',4,'approximate','vëzhgim në terren','',NULL,'2026-12-01T10:52:29+00:00','anila');
CREATE TABLE problem_priority (
	problem_id VARCHAR(8) NOT NULL, 
	period VARCHAR(7) NOT NULL, 
	priority VARCHAR(10) NOT NULL, 
	updated_at VARCHAR(32) NOT NULL, 
	updated_by VARCHAR(80) NOT NULL, 
	PRIMARY KEY (problem_id, period)
);
INSERT INTO "problem_priority" VALUES('1.6','2022-H2','moderate','2026-12-01T10:52:29+00:00','anila');
CREATE TABLE users (
	name VARCHAR(80) NOT NULL, 
	role VARCHAR(10) NOT NULL, 
	password_hash VARCHAR(100) NOT NULL, 
	created_at VARCHAR(32) NOT NULL, 
	PRIMARY KEY (name)
);
INSERT INTO "users" VALUES('admin','admin','$2b$12$0rfScq3RZLho5i5oXTu1pekDGQ1PowFnHXkQTC.eFIg8dYW6pph1q','2026-12-01T10:52:22+00:00');
INSERT INTO "users" VALUES('anila','staff','$2b$12$HmlvXueoYkxjLkkDLa7m9OMfS6dVmUgn0nxliCc0ObR7wTSmfOHFu','2026-12-01T10:52:25+00:00');
COMMIT;
